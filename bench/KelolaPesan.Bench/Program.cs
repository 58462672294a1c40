using KelolaPesan.Bench;
using KelolaPesan.Bench.Scenarios;

IScenario[] scenarios =
[
    new SeedScaleScenario(), new WebhookIngestScenario(), new InboxScaleScenario(), new ImportXlsxScenario(), new NormalizeScenario(), new BroadcastDispatchScenario(),
    new LiveLatencyScenario(), new CircuitsScenario(), new TenantDensityScenario(),
];

var scenario = args.Length > 0 ? scenarios.FirstOrDefault(s => s.Name == args[0]) : null;
if (scenario is null)
{
    Console.Error.WriteLine("usage: dotnet run -c Release --project bench/KelolaPesan.Bench -- <scenario> [options]");
    Console.Error.WriteLine("scenarios:");
    foreach (var s in scenarios)
        Console.Error.WriteLine($"  {s.Name,-12} {s.Description}");
    return 2;
}

return await scenario.RunAsync(args[1..]);
