using System.Diagnostics;
using KelolaPesan.Core.Contacts;

namespace KelolaPesan.Bench.Scenarios;

/// <summary>Phone normalisation throughput on one thread, over a mix of the formats people type.</summary>
public sealed class NormalizeScenario : IScenario
{
    public string Name => "normalize";
    public string Description => "[--count N]: phone numbers normalised per second (one thread)";

    public Task<int> RunAsync(string[] args)
    {
        var count = args.Length >= 2 && args[0] == "--count" ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500_000;
        var random = new Random(42);
        var inputs = new string[count];
        for (var i = 0; i < count; i++)
        {
            var national = $"8{random.Next(11, 99)}{random.Next(1000_0000, 9999_9999)}";
            inputs[i] = (i % 6) switch
            {
                0 => "0" + national,
                1 => "62" + national,
                2 => $"+62 {national[..3]}-{national[3..7]}-{national[7..]}",
                3 => national,
                4 => $"({national[..3]}) {national[3..]}",
                _ => i % 12 == 5 ? "bukan nomor" : "+44 20 7946 " + random.Next(1000, 9999),
            };
        }
        for (var i = 0; i < 5000; i++)
            PhoneNormalizer.Normalize(inputs[i], "ID");

        var valid = 0;
        var watch = Stopwatch.StartNew();
        foreach (var input in inputs)
            if (PhoneNormalizer.Normalize(input, "ID").IsValid)
                valid++;
        watch.Stop();
        var rate = count / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{count:N0} numbers in {watch.Elapsed.TotalSeconds:F2} s = {rate:N0}/s; {valid:N0} valid");
        Console.WriteLine($"RESULT {Name} count={count} per_s={rate:F0} valid={valid}");
        return Task.FromResult(0);
    }
}
