namespace KelolaPesan.Bench;

/// <summary>One benchmark: prints its figures and ends with exactly one <c>RESULT name metric=value ...</c> line.</summary>
public interface IScenario
{
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args);
}
