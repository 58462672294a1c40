using System.Globalization;
using System.Resources;

namespace KelolaPesan.Core.Common;

/// <summary>
/// Column headers and sheet names of the files users download (Common/ExportText.resx is Bahasa Indonesia, .en.resx
/// English), read in the current UI culture: a download is made in the request of the user who asked for it.
/// </summary>
public static class ExportText
{
    private static readonly ResourceManager Resources = new("KelolaPesan.Core.Common.ExportText", typeof(ExportText).Assembly);

    public static string Get(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object[] args) => string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>A status in a cell, in the reader's words (<c>Enum_{Type}_{Value}</c>), never the code's English name.</summary>
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Get($"Enum_{typeof(TEnum).Name}_{value}");

    /// <summary>Null stays an empty cell.</summary>
    public static string? Of<TEnum>(TEnum? value) where TEnum : struct, Enum => value is { } v ? Of(v) : null;

    /// <summary>True when the key is in the resources (so a test can walk every value of the enums the exports write).</summary>
    public static bool Has(string key) => Resources.GetString(key, CultureInfo.InvariantCulture) is not null;

    /// <summary>
    /// Runs <paramref name="write"/> in <paramref name="culture"/>: a file made outside a user's request (a background
    /// job) is still written in the language of the user who asked for it. The caller's culture is untouched afterwards.
    /// </summary>
    public static async Task InCultureAsync(CultureInfo culture, Func<Task> write)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = culture;
        try
        {
            await write();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}
