using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>Reads the lines commits add (against their first parent), per file, from one open clone.</summary>
public sealed partial class AddedLinesReader : IDisposable
{
    private static readonly CompareOptions DiffOptions = new() { ContextLines = 0, InterhunkLines = 0, Similarity = SimilarityOptions.Renames };

    private readonly DiffWorker _repos;
    private readonly string _path;
    private readonly ILogger _logger;

    internal AddedLinesReader(string path, ILogger logger)
    {
        _repos = new DiffWorker(path);
        _path = path;
        _logger = logger;
    }

    /// <summary>Added lines per file path; empty when the commit or its objects are missing.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Read(string sha)
    {
        try
        {
            var repo = _repos.Next();
            var commit = repo.Lookup<Commit>(sha);
            if (commit is null)
            {
                return new Dictionary<string, IReadOnlyList<string>>();
            }

            var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var entry in ChangedPaths.Diff(repo, commit.Parents.FirstOrDefault()?.Tree, commit.Tree, DiffOptions))
            {
                result[entry.Path] = entry.AddedLines.Select(l => l.Content.TrimEnd('\n', '\r')).ToList();
            }

            return result;
        }
        catch (Exception ex) when (ex is LibGit2SharpException or ArgumentException)
        {
            // ArgumentException: LibGit2Sharp keys a diff by decoded path, and two names not valid UTF-8 can decode alike.
            LogMissing(_logger, _path, sha, ex.Message);
            return new Dictionary<string, IReadOnlyList<string>>();
        }
    }

    public void Dispose() => _repos.Dispose();

    [LoggerMessage(EventId = 4103, Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "Added lines of {Sha} in {Path} unavailable (missing objects?): {Reason}")]
    private static partial void LogMissing(ILogger logger, string path, string sha, string reason);
}
