using Microsoft.Extensions.Localization;
using MudBlazor;

namespace KelolaPesan.Web;

/// <summary>
/// Marker for MudBlazor's own texts (Resources/MudText*.resx: the pager's "Rows per page", "1-10 of 50", "Loading…",
/// close buttons, ...). The keys are MudBlazor's (its LanguageResource); the .en file repeats its English so a page in
/// English reads the same words MudBlazor would, and Indonesian is ours.
/// </summary>
public sealed class MudText;

/// <summary>MudBlazor's texts from <see cref="MudText"/> in the circuit's UI culture; a key we lack falls back to MudBlazor's English.</summary>
public sealed class MudTextLocalizer(IStringLocalizer<MudText> text) : MudLocalizer
{
    public override LocalizedString this[string key] => text[key];

    public override LocalizedString this[string key, params object[] arguments] => text[key, arguments];
}
