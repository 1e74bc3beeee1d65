using LibGit2Sharp;

namespace Attribution.Tests.Decisions;

/// <summary>A real git repository in a temp folder whose line history and commit times the test controls.</summary>
public sealed class ScratchRepository : IDisposable
{
    private readonly Repository _repo;

    public ScratchRepository()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "attribution-tests", "git-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
        Repository.Init(Path);
        _repo = new Repository(Path);
    }

    public string Path { get; }

    /// <summary>Writes the files (null content deletes) and commits them at <paramref name="when"/>; returns the sha.</summary>
    public string Commit(string message, DateTimeOffset when, params (string File, string? Content)[] files)
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            if (content is null)
            {
                File.Delete(full);
            }
            else
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }

            Commands.Stage(_repo, file);
        }

        var signature = new Signature("Dev", "dev@example.com", when);
        return _repo.Commit(message, signature, signature).Sha;
    }

    public static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    public void Dispose()
    {
        _repo.Dispose();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS to clean; never fail a test over a temp folder.
        }
    }
}
