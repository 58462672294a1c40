using KelolaPesan.Web.Instagram;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Time.Testing;

namespace KelolaPesan.Tests.Instagram;

public sealed class InstagramConnectStateTests
{
    private static readonly InstagramConnectTicket Ticket = new(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
    private readonly EphemeralDataProtectionProvider _keys = new();

    [Fact]
    public void AFreshState_CarriesTenantWorkspaceAndUser()
    {
        var states = new InstagramConnectState(_keys, TimeProvider.System);

        Assert.Equal(Ticket, states.Read(states.Create(Ticket)));
    }

    [Fact]
    public void ATamperedState_IsRefused()
    {
        var states = new InstagramConnectState(_keys, TimeProvider.System);
        var state = states.Create(Ticket);
        var tampered = state[..^4] + (state[^4] == 'A' ? 'B' : 'A') + state[^3..];

        Assert.Null(states.Read(tampered));
        Assert.Null(states.Read("not-a-state"));
        Assert.Null(states.Read(null));
    }

    [Fact]
    public void AStateOlderThanItsLifetime_IsRefused()
    {
        // Issued as if eleven minutes ago: the protector checks the expiry against the real clock.
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow - InstagramConnectState.Lifetime - TimeSpan.FromMinutes(1));
        var state = new InstagramConnectState(_keys, past).Create(Ticket);

        Assert.Null(new InstagramConnectState(_keys, TimeProvider.System).Read(state));
    }

    [Fact]
    public void AStateFromAnotherKeyRing_IsRefused() =>
        Assert.Null(new InstagramConnectState(_keys, TimeProvider.System).Read(
            new InstagramConnectState(new EphemeralDataProtectionProvider(), TimeProvider.System).Create(Ticket)));
}
