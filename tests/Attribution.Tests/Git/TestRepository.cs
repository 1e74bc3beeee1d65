using LibGit2Sharp;

namespace Attribution.Tests.Git;

/// <summary>A real git repository in a temp folder, with commits at controlled times.</summary>
public sealed class TestRepository : IDisposable
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    private TestRepository(string path)
    {
        Path = path;
        Repo = new Repository(path);
    }

    public string Path { get; }

    public Repository Repo { get; }

    public static TestRepository Create()
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "attribution-git-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Repository.Init(path);
        var repo = new TestRepository(path);
        return repo;
    }

    /// <summary>Writes the files (null content deletes) and commits them at <paramref name="when"/>.</summary>
    public string Commit(string message, DateTimeOffset when, IReadOnlyDictionary<string, string?> files, string author = "Dev", string email = "dev@example.com") =>
        Commit(message, when, when, files, author, email);

    /// <summary>As <see cref="Commit(string, DateTimeOffset, IReadOnlyDictionary{string, string?}, string, string)"/> with a committer time of its own (a rebased, amended or cherry-picked commit keeps its author time).</summary>
    public string Commit(string message, DateTimeOffset authored, DateTimeOffset committed, IReadOnlyDictionary<string, string?> files, string author = "Dev", string email = "dev@example.com", string committerEmail = "dev@example.com")
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            if (content is null)
            {
                Commands.Remove(Repo, file);
                continue;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            Commands.Stage(Repo, file);
        }

        return Repo.Commit(message, new Signature(author, email, authored), new Signature(author, committerEmail, committed), new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    public string Commit(string message, DateTimeOffset when, string file, string content, string author = "Dev", string email = "dev@example.com") =>
        Commit(message, when, new Dictionary<string, string?> { [file] = content }, author, email);

    public void Branch(string name, bool checkout = true)
    {
        var branch = Repo.CreateBranch(name);
        if (checkout)
        {
            Commands.Checkout(Repo, branch);
        }
    }

    public void Checkout(string name) => Commands.Checkout(Repo, Repo.Branches[name]);

    public string CurrentBranch => Repo.Head.FriendlyName;

    public void Dispose()
    {
        Repo.Dispose();
        try
        {
            foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
            {
                File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; the OS cleans it.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
