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
}
