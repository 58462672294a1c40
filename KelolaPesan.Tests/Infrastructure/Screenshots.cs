using Microsoft.Playwright;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>Screenshots of failed browser tests, kept where CI collects test results.</summary>
public static class Screenshots
{
    /// <summary>TestResults/screenshots at the solution root, next to the trx file of scripts/test.sh.</summary>
    public static string Directory { get; } = FindDirectory();

    public static async Task<string?> SaveAsync(IPage page, string name)
    {
        var path = Path.Combine(Directory, string.Concat(name.Split(Path.GetInvalidFileNameChars())) + ".png");
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 5_000 });
            return path;
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException)
        {
            // A closed, crashed or starved page cannot be captured; the test's own failure is what matters.
            return null;
        }
    }

    private static string FindDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KelolaPesan.sln")))
            {
                return Path.Combine(dir.FullName, "TestResults", "screenshots");
            }
        }
        return Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}
