using System.Text.Json;
using System.Text.Json.Serialization;

namespace KelolaPesan.Web.Endpoints;

/// <summary>
/// The REST API refuses a string holding U+0000 as a malformed body (400): PostgreSQL cannot store it, and the request
/// failed with a 500 after validation (a name, a message's text, a broadcast's template).
/// </summary>
public sealed class NoNulStrings : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        return value is not null && value.Contains('\0') ? throw new JsonException("Text may not contain the NUL character (U+0000).") : value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
