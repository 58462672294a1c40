using Microsoft.AspNetCore.Components.Server.Circuits;

namespace KelolaPesan.Web.Components.Shared;

/// <summary>
/// Whether this circuit's browser is connected. A circuit outlives a dropped connection (a phone changing networks) so
/// that the browser can resume it, and live events keep re-rendering it meanwhile; a component that calls JavaScript on
/// every render (MudBlazor's chart measures itself) would throw then, and an unhandled exception ends the circuit,
/// so the browser could not resume. Such components wait with <see cref="IsUp"/> and render on <see cref="CameBack"/>.
/// </summary>
public sealed class CircuitConnection
{
    public bool IsUp { get; private set; } = true;

    /// <summary>Raised when the browser (re)connects, off the renderer's thread.</summary>
    public event Action? CameBack;

    internal void Set(bool up)
    {
        IsUp = up;
        if (up)
            CameBack?.Invoke();
    }
}

public sealed class CircuitConnectionHandler(CircuitConnection connection) : CircuitHandler
{
    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.Set(false);
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        connection.Set(true);
        return Task.CompletedTask;
    }
}
