using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Security;
using KelolaPesan.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using KelolaPesan.Tests.Infrastructure;

namespace KelolaPesan.Tests.Workspaces;

public sealed class WorkspaceServiceTests : IAsyncLifetime
{
    private CoreServiceHost _host = null!;

    public async Task InitializeAsync() => _host = await CoreServiceHost.CreateAsync(maxWorkspaces: 2);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<T> WithService<T>(Func<WorkspaceService, Task<T>> action) =>
        _host.InScopeAsync(sp => action(sp.GetRequiredService<WorkspaceService>()));

    [Fact]
    public async Task Create_StopsAtTheLicenceQuota_WithAClearError_AndADeletedOneFreesItsPlace()
    {
        var first = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "Satu" }));
        var second = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "Dua", Label = "CS" }));
        var third = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "Tiga" }));

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.Equal(WorkspaceError.QuotaReached, third.Error);
        Assert.Contains("2", third.Detail);
        Assert.Equal(new WorkspaceQuota(2, 2), await WithService(s => s.GetQuotaAsync()));

        Assert.True((await WithService(s => s.DeleteAsync(first.WorkspaceId!.Value))).Succeeded);
        Assert.True((await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "Tiga" }))).Succeeded);
        var names = (await WithService(s => s.ListAsync())).Select(w => w.Name);
        Assert.Equal(["Dua", "Tiga"], names);
    }

    [Fact]
    public async Task Create_RefusesAnEmptyOrTooLongName()
    {
        var empty = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "  " }));
        var tooLong = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = new string('x', Workspace.NameMaxLength + 1) }));
        Assert.Equal((WorkspaceError.Invalid, WorkspaceError.Invalid), (empty.Error, tooLong.Error));
        Assert.Equal(0, (await WithService(s => s.GetQuotaAsync())).Used);
    }

    [Fact]
    public async Task ANamesControlAndBidiCharacters_AreDropped_AndANameOfNothingElse_IsRefused()
    {
        var created = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "\u202EToko\u202C\u001b\nPusat" }));
        var onlyControls = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "\u2066\u0001" }));

        Assert.True(created.Succeeded);
        Assert.Equal(WorkspaceError.Invalid, onlyControls.Error);
        Assert.True((await WithService(s => s.UpdateAsync(created.WorkspaceId!.Value, new WorkspaceInput { Name = "Toko\tSelatan\u0085" }))).Succeeded);
        Assert.Equal(["Toko Selatan"], (await WithService(s => s.ListAsync())).Select(w => w.Name));
    }

    [Fact]
    public async Task Connect_CreatesTheSession_WithAnEncryptedKey_AndScanConnectsIt()
    {
        var created = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "Satu" }));
        var id = created.WorkspaceId!.Value;
        Assert.True((await WithService(s => s.ConnectAsync(id))).Succeeded);

        await using var db = _host.Database.CreateSystem();
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == id);
        Assert.Equal(WorkspaceService.SessionNameFor(id), workspace.ExternalSessionId);
        Assert.NotNull(workspace.WebhookSecretEncrypted);
        var key = _host.Services.GetRequiredService<ISecretProtector>().Unprotect(WorkspaceService.WebhookSecretPurpose, workspace.WebhookSecretEncrypted!);
        Assert.NotNull(key);
        Assert.DoesNotContain(key!, workspace.WebhookSecretEncrypted!);

        var (result, qr) = await WithService(s => s.GetQrAsync(id));
        Assert.True(result.Succeeded);
        Assert.NotNull(qr);
        Assert.Equal([0x89, 0x50, 0x4E, 0x47], qr!.Png[..4]);
    }

    [Fact]
    public async Task AGatewayFailure_IsRecordedOnTheWorkspace()
    {
        var created = await WithService(s => s.CreateAsync(new WorkspaceInput { Name = "Satu" }));
        // The session was never created at the gateway: a restart fails there.
        var restart = await WithService(s => s.RestartAsync(created.WorkspaceId!.Value));
        Assert.Equal(WorkspaceError.Gateway, restart.Error);
        var events = await WithService(s => s.ListEventsAsync(created.WorkspaceId!.Value));
        var error = Assert.Single(events);
        Assert.Equal((WorkspaceEventKind.Error, "RestartSession"), (error.Kind, error.Operation));
        Assert.Contains("no session", error.Message);
    }

    [Fact]
    public async Task AnotherTenantsWorkspace_IsNotFound()
    {
        var theirs = await _host.Database.SeedAsync(db => Seed.Tenant(db, "Other", l => l.MaxWorkspaces = 5).Workspace("Theirs"));

        Assert.Equal(WorkspaceError.NotFound, (await WithService(s => s.UpdateAsync(theirs.Id, new WorkspaceInput { Name = "Mine" }))).Error);
        Assert.Equal(WorkspaceError.NotFound, (await WithService(s => s.DeleteAsync(theirs.Id))).Error);
        Assert.Equal(WorkspaceError.NotFound, (await WithService(s => s.ConnectAsync(theirs.Id))).Error);
        Assert.Empty(await WithService(s => s.ListAsync()));
    }
}
