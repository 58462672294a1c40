namespace KelolaPesan.Web.Components.Pages.Workspaces;

/// <summary>A stable fake WhatsApp number per workspace for simulated scans (Indonesian mobile format, never ending in 0).</summary>
public static class SimulatorNumbers
{
    public static string For(Guid workspaceId) => "62811" + (Math.Abs(workspaceId.GetHashCode()) % 90_000_000 + 10_000_000) + "1";
}
