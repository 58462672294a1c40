using Bunit;
using MudBlazor;

namespace KelolaPesan.Tests.Infrastructure;

public sealed class BunitTestBaseTests : BunitTestBase
{
    // MudPopoverProvider needs MudBlazor's services and calls JS on first render: it fails
    // to render unless the base registered both.
    [Fact]
    public void Base_RendersMudBlazorComponentsThatNeedServicesAndJs()
    {
        Render<MudPopoverProvider>();

        var cut = Render<MudButton>(p => p.AddChildContent("Kirim"));

        Assert.Contains("Kirim", cut.Markup);
    }
}
