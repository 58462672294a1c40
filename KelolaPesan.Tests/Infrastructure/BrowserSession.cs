using System.Runtime.CompilerServices;
using Microsoft.Playwright;

namespace KelolaPesan.Tests.Infrastructure;

/// <summary>One test's page in its own browser context; closing it drops the cookies.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly List<string> _consoleErrors = [];

    public BrowserSession(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        // Errors a user never sees (a failed script, a circuit that died) only show here.
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_consoleErrors)
            {
                _consoleErrors.Add("uncaught: " + error);
            }
        };
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return [.. _consoleErrors];
            }
        }
    }

    /// <summary>
    /// Runs a test's steps and, when one fails, saves a full-page screenshot under
    /// TestResults/screenshots named after the test before rethrowing.
    /// </summary>
    public async Task RunAsync(
        Func<IPage, Task> steps,
        [CallerFilePath] string callerFile = "",
        [CallerMemberName] string testName = "")
    {
        try
        {
            await steps(Page);
        }
        catch
        {
            await Screenshots.SaveAsync(Page, $"{Path.GetFileNameWithoutExtension(callerFile)}.{testName}");
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
