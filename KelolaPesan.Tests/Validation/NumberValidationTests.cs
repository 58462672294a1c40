using KelolaPesan.Core.Admin;
using KelolaPesan.Core.Contacts;
using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Tenancy;
using KelolaPesan.Core.Validation;
using KelolaPesan.Tests.Contacts;
using KelolaPesan.Tests.Gateways;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KelolaPesan.Tests.Validation;

public sealed class NumberValidationTests : IAsyncLifetime
{
    private ContactsWorld _world = null!;
    private ServiceProvider _services = null!;
    private SimulatorGateway _simulator = null!;
    private string _session = "";

    public async Task InitializeAsync()
    {
        _world = await ContactsWorld.CreateAsync();
        _services = new ServiceCollection().AddSingleton<IGatewayEventSink, RecordingEventSink>().BuildServiceProvider();
        _simulator = new SimulatorGateway(TimeProvider.System, _services.GetRequiredService<IServiceScopeFactory>(), NullLogger<SimulatorGateway>.Instance);
        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        _session = await db.Workspaces.Select(w => w.ExternalSessionId!).SingleAsync();
        await _simulator.EnsureSessionAsync(new GatewaySessionSetup(_session, new Dictionary<string, string>(), "http://localhost/none", "key"), default);
    }

    public async Task DisposeAsync()
    {
        _simulator.Dispose();
        await _services.DisposeAsync();
        await _world.DisposeAsync();
    }

    [Fact]
    public async Task AnUploadOfMoreRowsThanACheckCanUse_IsRefusedAfterReadingThatMany_BlankRowsIncluded()
    {
        // A compressed .xlsx of 300 M empty rows was read to its end (11 s of CPU) for no number at all.
        var path = _world.PathFor("blank-rows.xlsx");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
        {
            void Entry(string name, string xml)
            {
                using var w = new StreamWriter(zip.CreateEntry(name).Open());
                w.Write(xml);
            }
            Entry("[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>""");
            Entry("_rels/.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
            Entry("xl/workbook.xml", """<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Entry("xl/_rels/workbook.xml.rels", """<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            using var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.Optimal).Open());
            sheet.Write("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            for (var r = 1; r <= NumberValidationService.MaxRowsRead + 1; r++)
                sheet.Write("<row/>");
            // A number after the limit: never reached.
            sheet.Write("""<row><c t="inlineStr"><is><t>081234567891</t></is></c></row></sheetData></worksheet>""");
        }

        var numbers = NumberValidationService.ReadFile(path, out var problem);

        Assert.Empty(numbers);
        Assert.Contains("200", problem);
        await File.WriteAllTextAsync(_world.PathFor("few.csv"), "No HP\n081234567891\n\n081234567892\n");
        Assert.Equal(["No HP", "081234567891", "081234567892"], NumberValidationService.ReadFile(_world.PathFor("few.csv"), out var none));
        Assert.Null(none);
    }

    private NumberValidationService Service(IWhatsAppGateway gateway) =>
        new(_world.Factory, gateway, _world.Bus, _world.Policies, TimeProvider.System, NullLogger<NumberValidationService>.Instance);

    [Fact]
    public async Task ALicenceWithoutNumberValidation_OrATierThatDisallowsIt_CannotStartACheck()
    {
        await using (var db = _world.Database.CreateSystem())
        {
            var licence = await db.Licences.SingleAsync(l => db.Tenants.Any(t => t.Id == _world.TenantId && t.LicenceId == l.Id));
            licence.Features = LicenceFeatures.All & ~LicenceFeatures.NumberValidation;
            await db.SaveChangesAsync();
        }
        var refused = await Service(_simulator).CreateJobAsync(_world.WorkspaceId, null, "Tes", ["081234567891"]);
        Assert.Equal((null, NumberValidationService.FeatureOff), (refused.JobId, refused.Problem?.Code));

        await using (var db = _world.Database.CreateSystem())
        {
            var licence = await db.Licences.SingleAsync(l => db.Tenants.Any(t => t.Id == _world.TenantId && t.LicenceId == l.Id));
            licence.Features = LicenceFeatures.All;
            db.Policies.Add(new PolicySettings { Tier = licence.Tier, AllowedFeatures = LicenceFeatures.All & ~LicenceFeatures.NumberValidation });
            await db.SaveChangesAsync();
        }
        Assert.Equal(NumberValidationService.FeatureOff, (await Service(_simulator).CreateJobAsync(_world.WorkspaceId, null, "Tes", ["081234567891"])).Problem?.Code);

        await using (var db = _world.Database.CreateSystem())
            await db.Policies.Where(p => p.Tier != null).ExecuteDeleteAsync();
        Assert.NotNull((await Service(_simulator).CreateJobAsync(_world.WorkspaceId, null, "Tes", ["081234567891"])).JobId);
    }

    [Fact]
    public async Task StoppedRun_ResumesWhereItStopped_NoNumberCheckedTwice_AndContactsGetTheResult()
    {
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Ani", Phone = "081234567891" });
        await _world.Contacts.CreateAsync(_world.WorkspaceId, new ContactInput { Name = "Budi", Phone = "081234567890" });
        var raw = NumberValidationService.SplitRaw("081234567891\n0812-3456-7890; bukan nomor\n" + string.Join("\n", Enumerable.Range(11, 9).Select(i => $"+62 812 3456 78{i}")));
        var counting = new CountingGateway(_simulator);
        var created = await Service(counting).CreateJobAsync(_world.WorkspaceId, null, "Tes", raw);
        var jobId = created.JobId!.Value;

        // First run: stopped after 4 checks, as a restart would stop it.
        using var stop = new CancellationTokenSource();
        counting.AfterCheck = n => { if (n == 4) stop.Cancel(); };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Service(counting).RunAsync(_world.TenantId, jobId, TimeSpan.Zero, stop.Token));
        var halfway = await Service(counting).GetJobAsync(jobId);
        Assert.Equal(ValidationJobStatus.Running, halfway!.Status);
        Assert.Equal(1 + 4, halfway.Processed); // the invalid one counts from the start

        // Second run: a fresh service, as after a restart.
        counting.AfterCheck = null;
        var job = await Service(counting).RunAsync(_world.TenantId, jobId, TimeSpan.Zero);

        Assert.Equal(ValidationJobStatus.Completed, job.Status);
        Assert.All(counting.Calls.GroupBy(c => c), g => Assert.Single(g));
        Assert.Equal(11, counting.Calls.Count);
        var (entries, total) = await Service(counting).EntriesAsync(jobId, 0, 100);
        Assert.Equal(12, total);
        Assert.Equal(Enumerable.Range(1, 12), entries.Select(e => e.Sequence));
        Assert.Equal("bukan nomor", entries[2].RawInput);
        Assert.Equal(ValidationStatus.InvalidFormat, entries[2].Status);
        Assert.Equal(ValidationStatus.NotRegistered, entries[1].Status); // ends in 0
        Assert.Equal((10, 1, 1), (job.Registered, job.NotRegistered, job.InvalidFormat));
        Assert.DoesNotContain(entries, e => e.Status == ValidationStatus.Pending);

        await using var db = _world.Database.CreateForTenant(_world.TenantId);
        var contacts = await db.Contacts.OrderBy(c => c.Name).ToListAsync();
        Assert.Equal([ValidationStatus.Registered, ValidationStatus.NotRegistered], contacts.Select(c => c.LastValidationStatus));
        Assert.All(contacts, c => Assert.NotNull(c.LastValidatedAt));
    }

    [Fact]
    public async Task Throttled_WaitsRetryAfter_AndGatewayErrorsBecomeUnknownWithTheError()
    {
        var gateway = new CountingGateway(_simulator) { ThrottleFirst = 1, FailPhone = "+6281234567892" };
        var created = await Service(gateway).CreateJobAsync(_world.WorkspaceId, null, "", ["081234567891", "081234567892"]);

        var job = await Service(gateway).RunAsync(_world.TenantId, created.JobId!.Value, TimeSpan.Zero);

        var (entries, _) = await Service(gateway).EntriesAsync(job.Id, 0, 10);
        Assert.Equal(ValidationStatus.Registered, entries[0].Status);
        Assert.Equal(ValidationStatus.Unknown, entries[1].Status);
        Assert.Contains("session gone", entries[1].Error);
        Assert.Equal(1, job.Unknown);
    }

    /// <summary>The simulator behind a counter: records each checked number, can throttle and fail.</summary>
    private sealed class CountingGateway(SimulatorGateway inner) : IWhatsAppGateway
    {
        public List<string> Calls { get; } = [];
        public Action<int>? AfterCheck { get; set; }
        public int ThrottleFirst { get; set; }
        public string? FailPhone { get; set; }

        public async Task<GatewayNumberCheck> CheckNumberAsync(string session, string phone, CancellationToken ct)
        {
            if (ThrottleFirst-- > 0)
                throw new GatewayThrottledException("CheckNumber", TimeSpan.FromMilliseconds(50));
            if (phone == FailPhone)
                throw new GatewayException("CheckNumber", "session gone", 500, isTransient: false);
            var result = await inner.CheckNumberAsync(session, phone, ct);
            Calls.Add(phone);
            AfterCheck?.Invoke(Calls.Count);
            return result;
        }

        public Task EnsureSessionAsync(GatewaySessionSetup setup, CancellationToken ct) => inner.EnsureSessionAsync(setup, ct);
        public Task<GatewaySessionInfo> GetSessionAsync(string session, CancellationToken ct) => inner.GetSessionAsync(session, ct);
        public Task StartSessionAsync(string session, CancellationToken ct) => inner.StartSessionAsync(session, ct);
        public Task StopSessionAsync(string session, CancellationToken ct) => inner.StopSessionAsync(session, ct);
        public Task RestartSessionAsync(string session, CancellationToken ct) => inner.RestartSessionAsync(session, ct);
        public Task LogoutSessionAsync(string session, CancellationToken ct) => inner.LogoutSessionAsync(session, ct);
        public Task DeleteSessionAsync(string session, CancellationToken ct) => inner.DeleteSessionAsync(session, ct);
        public Task<GatewayQrCode?> GetQrCodeAsync(string session, CancellationToken ct) => inner.GetQrCodeAsync(session, ct);
        public Task<string> SendTextAsync(GatewayTextMessage message, CancellationToken ct) => inner.SendTextAsync(message, ct);
        public Task<string> SendMediaAsync(GatewayMediaMessage message, CancellationToken ct) => inner.SendMediaAsync(message, ct);
        public Task MarkChatReadAsync(string session, string chatId, CancellationToken ct) => inner.MarkChatReadAsync(session, chatId, ct);
        public Task<IReadOnlyList<GatewayChatMessage>> GetChatMessagesAsync(string session, string chatId, int limit, bool? fromMe, CancellationToken ct) => inner.GetChatMessagesAsync(session, chatId, limit, fromMe, ct);
        public Task<string?> GetPhoneForLidAsync(string session, string lid, CancellationToken ct) => inner.GetPhoneForLidAsync(session, lid, ct);
        public Task<GatewayDownloadedMedia> DownloadMediaAsync(string url, long maxBytes, CancellationToken ct) => inner.DownloadMediaAsync(url, maxBytes, ct);
    }
}
