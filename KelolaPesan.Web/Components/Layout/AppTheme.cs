using MudBlazor;

namespace KelolaPesan.Web.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#0F766E", Secondary = "#F59E0B", AppbarBackground = "#0F766E" },
        // MudBlazor's dark TextSecondary (white at 50%) is 4.25:1 on its dark surface, under WCAG AA's 4.5:1: form labels
        // and help texts use it. At 60% it is 5.4:1.
        PaletteDark = new PaletteDark { Primary = "#2DD4BF", Secondary = "#FBBF24", TextSecondary = "rgba(255,255,255,0.6)" },
    };
}
