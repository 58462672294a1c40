using System.Diagnostics;

namespace KelolaPesan.Bench;

/// <summary>
/// The process's peak working set over one phase only: on Linux the kernel's high-water mark (VmHWM, what
/// <see cref="Process.PeakWorkingSet64"/> reads) is reset by writing 5 to /proc/self/clear_refs, so a phase that holds
/// less than what ran before it (generating the test file, seeding) reports its own peak, not the earlier one.
/// </summary>
public static class PeakMemory
{
    /// <summary>Collects garbage and resets the peak; false where the reset is not available (then the peak is the process's since start).</summary>
    public static bool Reset()
    {
        // Aggressive: the server GC keeps freed segments committed otherwise, and the working set would still carry
        // what the previous phase held.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            return false;
        }
    }

    public static double PeakMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64 / 1048576.0;
    }

    public static double WorkingSetMiB()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64 / 1048576.0;
    }
}
