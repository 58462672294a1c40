namespace KelolaPesan.Tests.Infrastructure;

/// <summary>
/// Browser and HTTP tests against one shared app host and one Chromium. Tests in a collection
/// run one after another. DisableParallelization also keeps this collection from running
/// beside the other collections: on a 2-core machine a Blazor circuit starved by parallel
/// unit tests misses the 10 s timeouts, and those failures would be noise, not bugs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>, ICollectionFixture<KelolaAppFactory>
{
    public const string Name = "browser";
}
