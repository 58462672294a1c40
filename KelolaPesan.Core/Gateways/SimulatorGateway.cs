using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QRCoder;

namespace KelolaPesan.Core.Gateways;

/// <summary>
/// An in-process gateway so the product can be tried without a phone. Sessions wait for a fake QR
/// scan (<see cref="ScanAsync"/>), sends are acked Delivered then Read after short random delays, and
/// <see cref="SimulateInboundAsync"/> plays a customer. Every event goes to the registered
/// <see cref="IGatewayEventSink"/>, the same path real webhooks take; the sink is resolved in a
/// fresh scope per event, so it may be scoped.
/// </summary>
/// <remarks>
/// Number rules: a number whose last digit is 0 is not on WhatsApp. <see cref="CheckNumberAsync"/>
/// answers NotRegistered for it, and a send to it is accepted and then acked Failed.
/// </remarks>
public sealed partial class SimulatorGateway(TimeProvider time, IServiceScopeFactory scopes, ILogger<SimulatorGateway> logger)
    : IWhatsAppGateway, IDisposable
{
    public static readonly TimeSpan QrRotation = TimeSpan.FromSeconds(20);
    public const int MessagesKeptPerSession = 500;
    public const string MediaUrlPrefix = "sim://media/";

    /// <summary>
    /// Whether a send is echoed and acked (Delivered, then Read) as a real gateway does. The tenant-density bench turns it
    /// off (<c>--no-acks</c>) to measure the sending path apart from the three webhooks each send brings back.
    /// </summary>
    public bool AcknowledgesSends { get; set; } = true;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimulatedSession> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _phoneByLid = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, GatewayDownloadedMedia> _media = new(StringComparer.Ordinal);
    private readonly HashSet<ITimer> _timers = [];
    private bool _disposed;

    public async Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            if (!_sessions.TryGetValue(setup.Name, out var session))
            {
                session = new SimulatedSession(setup.Name);
                _sessions.Add(setup.Name, session);
            }
            session.Metadata = new Dictionary<string, string>(setup.Metadata);
            changed = Start(session);
        }
        await RaiseAsync(changed, ct);
    }

    /// <summary>
    /// Puts a session back as already paired with <paramref name="phone"/> (the simulator forgets its sessions
    /// on restart; the app re-pairs workspaces that were connected). Raises Working, never a QR.
    /// </summary>
    public async Task RestoreConnectedAsync(GatewaySessionSetup setup, string phone, string? pushName, CancellationToken ct = default)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            if (!_sessions.TryGetValue(setup.Name, out var session))
            {
                session = new SimulatedSession(setup.Name);
                _sessions.Add(setup.Name, session);
            }
            session.Metadata = new Dictionary<string, string>(setup.Metadata);
            var chatId = ChatIds.FromPhone(phone);
            session.Me ??= new GatewayAccount(chatId, pushName, ChatIds.ToPhone(chatId));
            changed = Start(session);
        }
        await RaiseAsync(changed, ct);
    }

    public Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct)
    {
        lock (_lock)
        {
            var s = Find("GetSession", session);
            return Task.FromResult(new GatewaySessionInfo(s.Name, s.Status, s.Me));
        }
    }

    public async Task StartSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
            changed = Start(Find("StartSession", session));
        await RaiseAsync(changed, ct);
    }

    public async Task StopSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
            changed = Move(Find("StopSession", session), GatewaySessionStatus.Stopped);
        await RaiseAsync(changed, ct);
    }

    public async Task RestartSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            var s = Find("RestartSession", session);
            Move(s, GatewaySessionStatus.Stopped);
            changed = Start(s);
        }
        await RaiseAsync(changed, ct);
    }

    public async Task LogoutSessionAsync(string session, CancellationToken ct)
    {
        SessionStatusChanged? changed = null;
        lock (_lock)
        {
            var s = Find("LogoutSession", session);
            s.Me = null;
            // Like WAHA: a running session restarts and asks for a new scan.
            if (s.Status != GatewaySessionStatus.Stopped)
                changed = Move(s, GatewaySessionStatus.ScanQr, force: true);
        }
        await RaiseAsync(changed, ct);
    }

    public Task DeleteSessionAsync(string session, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_sessions.Remove(session, out var s))
                StopQrRotation(s);
        }
        return Task.CompletedTask;
    }

    public Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct)
    {
        lock (_lock)
        {
            var s = Find("GetQrCode", session);
            if (s.Status != GatewaySessionStatus.ScanQr || s.QrValue is null)
                return Task.FromResult<GatewayQrCode?>(null);
            s.QrPng ??= RenderQr(s.QrValue);
            return Task.FromResult<GatewayQrCode?>(new GatewayQrCode(s.QrValue, s.QrPng));
        }
    }

    /// <summary>Plays the phone scanning the QR code: the session becomes Working as <paramref name="phone"/>.</summary>
    public async Task ScanAsync(string session, string phone, string? pushName, CancellationToken ct = default)
    {
        SessionStatusChanged? changed;
        lock (_lock)
        {
            var s = Find("Scan", session);
            if (s.Status != GatewaySessionStatus.ScanQr)
                throw new GatewayException("Scan", $"session '{session}' is {s.Status}, not waiting for a scan", 422, isTransient: false);
            var chatId = ChatIds.FromPhone(phone);
            s.Me = new GatewayAccount(chatId, pushName, ChatIds.ToPhone(chatId));
            changed = Move(s, GatewaySessionStatus.Working);
        }
        await RaiseAsync(changed, ct);
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            foreach (var timer in _timers)
                timer.Dispose();
            _timers.Clear();
            foreach (var session in _sessions.Values)
                StopQrRotation(session);
        }
    }

    private SessionStatusChanged? Start(SimulatedSession s) =>
        s.Status is GatewaySessionStatus.Stopped or GatewaySessionStatus.Failed
            ? Move(s, s.Me is null ? GatewaySessionStatus.ScanQr : GatewaySessionStatus.Working)
            : null;

    /// <summary>Changes the status and returns the event to raise, or null when nothing changed.</summary>
    private SessionStatusChanged? Move(SimulatedSession s, GatewaySessionStatus status, bool force = false)
    {
        if (s.Status == status && !force)
            return null;
        s.Status = status;
        StopQrRotation(s);
        if (status == GatewaySessionStatus.ScanQr)
        {
            NewQr(s);
            s.QrTimer = time.CreateTimer(_ => RotateQr(s.Name), null, QrRotation, QrRotation);
        }
        return new SessionStatusChanged(NewEventId(), s.Name, s.Metadata, status, s.Me);
    }

    private void RotateQr(string name)
    {
        SessionStatusChanged? changed = null;
        lock (_lock)
        {
            if (_sessions.TryGetValue(name, out var s) && s.Status == GatewaySessionStatus.ScanQr)
            {
                NewQr(s);
                // WAHA repeats SCAN_QR_CODE on every new code; the page re-fetches on it.
                changed = new SessionStatusChanged(NewEventId(), s.Name, s.Metadata, GatewaySessionStatus.ScanQr, null);
            }
        }
        if (changed is not null)
            _ = RaiseInBackgroundAsync(changed);
    }

    private static void NewQr(SimulatedSession s)
    {
        s.QrValue = $"kelola-sim:{s.Name}:{Guid.NewGuid():N}";
        s.QrPng = null;
    }

    private static void StopQrRotation(SimulatedSession s)
    {
        s.QrTimer?.Dispose();
        s.QrTimer = null;
    }

    private async Task RaiseInBackgroundAsync(GatewayEvent evt)
    {
        try
        {
            await RaiseAsync(evt, CancellationToken.None);
        }
        catch (ObjectDisposedException ex)
        {
            // Mostly the app stopping between a timer's start and its event (a send's ack due seconds later): a real
            // gateway's webhook would find no one listening either. Not an error to page anyone about.
            logger.LogDebug(ex, "The simulated {EventType} for session {Session} found the app stopped", evt.GetType().Name, evt.Session);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The gateway event sink failed on simulated {EventType} for session {Session}", evt.GetType().Name, evt.Session);
        }
    }

    private async Task RaiseAsync(GatewayEvent? evt, CancellationToken ct)
    {
        if (evt is null)
            return;
        await using var scope = scopes.CreateAsyncScope();
        var sink = scope.ServiceProvider.GetService<IGatewayEventSink>();
        if (sink is null)
        {
            logger.LogWarning("No IGatewayEventSink is registered; simulated {EventType} dropped", evt.GetType().Name);
            return;
        }
        await sink.OnEventAsync(evt, ct);
    }

    private SimulatedSession Find(string operation, string session) =>
        _sessions.TryGetValue(session, out var s)
            ? s
            : throw new GatewayException(operation, $"no session '{session}'", 404, isTransient: false);

    private static string NewEventId() => "sim_evt_" + Guid.CreateVersion7().ToString("N");

    private static byte[] RenderQr(string value)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(value, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(8);
    }

    private sealed class SimulatedSession(string name)
    {
        public string Name { get; } = name;
        public IReadOnlyDictionary<string, string> Metadata { get; set; } = new Dictionary<string, string>();
        public GatewaySessionStatus Status { get; set; } = GatewaySessionStatus.Stopped;
        public GatewayAccount? Me { get; set; }
        public string? QrValue { get; set; }
        public byte[]? QrPng { get; set; }
        public ITimer? QrTimer { get; set; }
        public List<GatewayChatMessage> Messages { get; } = [];
    }
}
