using MudBlazor;

namespace KelolaPesan.Web.Components.Layout;

public static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#0F766E", Secondary = "#F59E0B", AppbarBackground = "#0F766E" },
        PaletteDark = new PaletteDark { Primary = "#2DD4BF", Secondary = "#FBBF24" },
    };
}
