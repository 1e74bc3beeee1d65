namespace Attribution.Tests.Infrastructure;

/// <summary>
/// Paths into the fixtures the repository carries (<c>tests/Attribution.Tests/Fixtures</c>: real payloads and
/// transcripts, with their sources in <c>SOURCES.md</c> there), read-only. Tests read nothing outside the clone.
/// </summary>
public static class FixtureFiles
{
    /// <summary>The repository root (the folder holding Attribution.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The fixtures folder.</summary>
    public static string Root { get; } = Path.Combine(RepositoryRoot, "tests", "Attribution.Tests", "Fixtures");

    public static string Fixture(string relativePath) => Path.Combine(Root, relativePath);

    public static byte[] ReadFixture(string relativePath) => File.ReadAllBytes(Fixture(relativePath));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Attribution.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Attribution.sln not found above the test assembly.");
    }
}
