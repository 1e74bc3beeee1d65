using System.Diagnostics;

namespace Attribution.Tests.Sources;

/// <summary>A repository in a temp folder driven by the real <c>git</c> command, as a team's clone would be written.</summary>
public sealed class GitShell : IDisposable
{
    public GitShell()
    {
        Path = Directory.CreateTempSubdirectory("attr-sources-").FullName;
        Run("init", "-q", "-b", "main");
        Run("config", "user.name", "Dev");
        Run("config", "user.email", "dev@example.com");
        Run("config", "commit.gpgsign", "false");
    }

    public string Path { get; }

    /// <summary>Runs git; fails the test with git's own message when it fails.</summary>
    public string Run(params string[] args) => RunAt(null, args);

    public string RunAt(DateTimeOffset? when, params string[] args) => RunIn(Path, when, args);

    /// <summary>Runs git in <paramref name="path"/> (any clone, also one another helper made); fails the test with git's own message when it fails.</summary>
    public static string RunIn(string path, DateTimeOffset? when, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        info.Environment["HOME"] = path;
        if (when is { } at)
        {
            info.Environment["GIT_AUTHOR_DATE"] = at.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
            info.Environment["GIT_COMMITTER_DATE"] = info.Environment["GIT_AUTHOR_DATE"];
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
        }

        return output.Result.Trim();
    }

    public void Write(string path, string content) => Write(path, System.Text.Encoding.UTF8.GetBytes(content));

    public void Write(string path, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
    }

    /// <summary>Writes the files, stages everything and commits; returns the new sha.</summary>
    public string Commit(string message, DateTimeOffset when, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            Write(path, content);
        }

        Run("add", "-A");
        RunAt(when, "commit", "-q", "--allow-empty", "-m", message);
        return Run("rev-parse", "HEAD");
    }

    /// <summary>
    /// Writes an orphan branch holding exactly <paramref name="files"/> (Entire's checkpoint branch is one), then returns
    /// to <c>main</c>; the files are committed with git's own commands in the work tree.
    /// </summary>
    public string OrphanBranch(string name, DateTimeOffset when, IReadOnlyDictionary<string, byte[]> files)
    {
        Run("checkout", "-q", "--orphan", name);
        Run("rm", "-rfq", ".");
        foreach (var (path, content) in files)
        {
            Write(path, content);
        }

        Run("add", "-A");
        RunAt(when, "commit", "-q", "-m", "Checkpoints");
        var sha = Run("rev-parse", "HEAD");
        Run("rm", "-rfq", ".");
        Run("checkout", "-q", "-f", "main");
        return sha;
    }

    public void Dispose()
    {
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
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
