using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace KelolaPesan.Core.Realtime;

/// <summary>
/// System.Text.Json for events crossing nodes: polymorphic over <see cref="RealtimeEvent"/>, the discriminator is the
/// record's full type name. The derived records are found in the given assemblies (the Core one by default), so a new
/// event record needs no registration. A name the receiving node does not know (a newer node during a rolling
/// deploy) fails to deserialize; the backplane logs and drops it.
/// </summary>
public sealed class RealtimeEventJson
{
    public RealtimeEventJson(params Assembly[] assemblies)
    {
        var types = assemblies.Append(typeof(RealtimeEvent).Assembly).Distinct()
            .SelectMany(LoadableTypes)
            .Where(t => t is { IsAbstract: false, IsGenericTypeDefinition: false } && typeof(RealtimeEvent).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Type != typeof(RealtimeEvent))
                return;
            info.PolymorphismOptions = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "$type",
                UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            };
            foreach (var type in types)
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.FullName!));
        });
        Options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = resolver,
            Converters = { new JsonStringEnumConverter() },
        };
    }

    public JsonSerializerOptions Options { get; }

    public string Serialize(string topic, RealtimeEvent evt) => JsonSerializer.Serialize(new Envelope(topic, evt), Options);

    /// <summary>The topic and event of a message <see cref="Serialize"/> wrote; throws <see cref="JsonException"/> on anything else.</summary>
    public (string Topic, RealtimeEvent Event) Deserialize(string json)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(json, Options);
        if (envelope is not { Topic: { Length: > 0 } topic, Event: { } evt })
            throw new JsonException("A realtime message without a topic or an event.");
        return (topic, evt);
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException ex)
        {
            return ex.Types.OfType<Type>();
        }
    }

    private sealed record Envelope(string Topic, RealtimeEvent Event);
}
