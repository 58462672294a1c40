using MudBlazor;

namespace KelolaPesan.Web.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#0F766E", Secondary = "#F59E0B", AppbarBackground = "#0F766E" },
        // Dark mode at WCAG AA (4.5:1): MudBlazor's TextSecondary (white at 50%, form labels and help texts) is 4.25:1 on its
        // dark surface, 5.4:1 at 60%; white on the light teal and amber of filled buttons is under 2:1, near-black is over 9:1.
        PaletteDark = new PaletteDark
        {
            Primary = "#2DD4BF", Secondary = "#FBBF24", TextSecondary = "rgba(255,255,255,0.6)",
            PrimaryContrastText = "#042F2E", SecondaryContrastText = "#1F1500",
        },
    };
}
