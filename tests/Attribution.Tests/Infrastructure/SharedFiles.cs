namespace Attribution.Tests.Infrastructure;

/// <summary>Paths into <c>../shared</c> beside the repository (fixtures, seeds), read-only.</summary>
public static class SharedFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string Fixture(string relativePath) => Path.Combine(Root, "fixtures", relativePath);

    public static byte[] ReadFixture(string relativePath) => File.ReadAllBytes(Fixture(relativePath));

    /// <summary>The repository root (the folder holding Attribution.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("ATTRIBUTION_SHARED");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));
        return Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException($"../shared not found beside {RepositoryRoot}; set ATTRIBUTION_SHARED.");
    }

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
