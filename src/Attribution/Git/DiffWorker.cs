using LibGit2Sharp;

namespace Attribution.Git;

/// <summary>
/// One scan worker's repository handle. It is reopened every <see cref="ReopenEvery"/> commits: libgit2 keeps
/// every tree and commit it parsed in a per-repository cache of up to 256 MB (LibGit2Sharp offers no size
/// setting), and a long scan fills it with trees it will not need again; reopening empties it for the cost of
/// re-reading a few top-level trees.
/// </summary>
internal sealed class DiffWorker(string path) : IDisposable
{
    public const int ReopenEvery = 500;

    private Repository? _repo;
    private int _uses;

    /// <summary>The repository for the next commit.</summary>
    public Repository Next()
    {
        if (_repo is null || ++_uses >= ReopenEvery)
        {
            _repo?.Dispose();
            _repo = new Repository(path);
            _uses = 0;
        }

        return _repo;
    }

    public void Dispose() => _repo?.Dispose();
}
