using System.Text;
using Attribution.Git;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Attribution.Tests.Git;

/// <summary>
/// The scan diffs only the paths that differ, in parallel workers; these tests hold it to libgit2's whole-tree diff
/// (the reader's earlier behaviour) on histories with every kind of change a tree can see, through <c>git log</c> and
/// through LibGit2Sharp alone.
/// </summary>
public sealed class GitHistoryReaderTests : IDisposable
{
    private static readonly CompareOptions WholeTree = new() { ContextLines = 0, InterhunkLines = 0, Similarity = SimilarityOptions.Renames };
    private readonly Dictionary<string, Blob> _blobs = new(StringComparer.Ordinal);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "attribution-git-tests", Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadCommits_VariedHistory_SameFilesAndLineCountsAsWholeTreeDiff(bool gitCommand)
    {
        BuildHistory(commits: 700, seed: 7);

        var read = Read(gitCommand);

        read.Should().HaveCount(700);
        read.Should().Equal(Expected(), (a, b) => a.Sha == b.Sha && a.Files.SequenceEqual(b.Files));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadCommits_VariedHistory_CommitsInWalkOrderWithTheirMetadata(bool gitCommand)
    {
        BuildHistory(commits: 300, seed: 11);

        var read = Read(gitCommand);

        using var repo = new Repository(_path);
        var walk = repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = repo.Refs.Select(r => r.ResolveToDirectReference().Target).ToList(), SortBy = CommitSortStrategies.Time }).ToList();
        read.Select(c => c.Sha).Should().Equal(walk.Select(c => c.Sha));
        read.Select(c => (c.Message, string.Join(',', c.Parents), c.CommitterTs)).Should().Equal(
            walk.Select(c => (c.Message, string.Join(',', c.Parents.Select(p => p.Sha)), c.Committer.When.ToUniversalTime())));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ReadCommits_TypeAndModeChanges_ReportedAsWholeTreeDiffDoes(bool gitCommand)
    {
        using (var repo = new Repository(Repository.Init(_path, isBare: true)))
        {
            var files = new Dictionary<string, (string Content, Mode Mode)>(StringComparer.Ordinal)
            {
                ["tool.sh"] = ("echo hi\n", Mode.NonExecutableFile),
                ["link"] = ("a.txt\n", Mode.NonExecutableFile),
                ["swap"] = ("was a file\n", Mode.NonExecutableFile),
                ["bin.dat"] = ("a\0b\0c", Mode.NonExecutableFile),
            };
            Commit(repo, files, 0);
            files["tool.sh"] = ("echo hi\n", Mode.ExecutableFile);
            files["link"] = ("a.txt", Mode.SymbolicLink);
            files.Remove("swap");
            files["swap/inner.txt"] = ("now a folder\n", Mode.NonExecutableFile);
            files["bin.dat"] = ("a\0b\0d\0e", Mode.NonExecutableFile);
            Commit(repo, files, 1);
            files.Remove("swap/inner.txt");
            files["swap"] = ("a file again\n", Mode.NonExecutableFile);
            Commit(repo, files, 2);
        }

        var read = Read(gitCommand);

        read.Should().Equal(Expected(), (a, b) => a.Sha == b.Sha && a.Files.SequenceEqual(b.Files));
        read.SelectMany(c => c.Files).Should().Contain(f => f.Path == "swap/inner.txt" && f.Status == "added");
    }

    [Fact]
    public void ReadCommits_CancelledAfterFirstCommit_ThrowsOperationCanceledNotAggregate()
    {
        BuildHistory(commits: 600, seed: 3);
        using var cancel = new CancellationTokenSource();
        var reader = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance);
        var read = 0;

        var act = () =>
        {
            foreach (var _ in reader.ReadCommits(_path, GitHistoryReader.Tips(_path).Keys, [], null, cancel.Token))
            {
                read++;
                cancel.Cancel();
            }
        };

        act.Should().ThrowExactly<OperationCanceledException>();
        read.Should().BeInRange(1, 256);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_path, recursive: true);
        }
        catch (IOException)
        {
            // Temp folder; the OS cleans it.
        }
    }

    /// <summary>Through <c>git log</c> (what ingest uses when git is installed) or LibGit2Sharp alone (its fallback).</summary>
    [Fact]
    public void ReadCommits_BlobsMissing_GitReadsEveryOtherCommitAndBothReadersAgree()
    {
        // A snapshot without some blobs (as the dev-set clones): a modified file's new blob, and the blob of a renamed file's
        // new side, where git fails in rename detection before it prints the commit (so it seems to stop one commit early).
        var rng = new Random(5);
        var files = new Dictionary<string, (string Content, Mode Mode)>(StringComparer.Ordinal);
        for (var i = 0; i < 12; i++)
        {
            files[$"src/f{i}.txt"] = (Lines(rng, 30), Mode.NonExecutableFile);
        }

        var dropped = new List<string>();
        using (var repo = new Repository(Repository.Init(_path, isBare: true)))
        {
            for (var n = 0; n < 40; n++)
            {
                var path = $"src/f{n % 12}.txt";
                var (content, mode) = files[path];
                var changed = content + $"line {n}\n";
                if (n == 34)
                {
                    files.Remove(path);
                    path = $"src/renamed{n}.txt";
                }

                files[path] = (changed, mode);
                Commit(repo, files, n);
                if (n is 10 or 20 or 34)
                {
                    dropped.Add(_blobs[changed].Sha);
                }
            }
        }

        foreach (var sha in dropped)
        {
            File.Delete(Path.Combine(_path, "objects", sha[..2], sha[2..]));
        }

        var logged = new Webhooks.CollectingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logged));
        var throughGit = new GitHistoryReader(loggers.CreateLogger<GitHistoryReader>())
            .ReadCommits(_path, GitHistoryReader.Tips(_path).Keys, [], null, CancellationToken.None).ToList();
        var throughLibGit2 = Read(gitCommand: false);

        throughGit.Select(c => (c.Sha, c.FilesComplete, string.Join(";", c.Files))).Should().Equal(
            throughLibGit2.Select(c => (c.Sha, c.FilesComplete, string.Join(";", c.Files))));
        throughGit.Count(c => !c.FilesComplete).Should().BeGreaterThanOrEqualTo(3, "the commits naming a dropped blob are kept without files");
        logged.Lines.Should().NotContain(line => line.Text.Contains("the rest is read with libgit2", StringComparison.Ordinal),
            "a missing blob is not a reason to give up on git for the rest of the history");
    }

    private List<GitCommitData> Read(bool gitCommand)
    {
        var reader = new GitHistoryReader(NullLogger<GitHistoryReader>.Instance) { UseGitCommand = gitCommand };
        return reader.ReadCommits(_path, GitHistoryReader.Tips(_path).Keys, [], null, CancellationToken.None).ToList();
    }

    private List<(string Sha, List<GitFileChange> Files)> Expected()
    {
        using var repo = new Repository(_path);
        var walk = repo.Commits.QueryBy(new CommitFilter { IncludeReachableFrom = repo.Refs.Select(r => r.ResolveToDirectReference().Target).ToList(), SortBy = CommitSortStrategies.Time });
        return walk.Select(c => (c.Sha, repo.Diff.Compare<Patch>(c.Parents.FirstOrDefault()?.Tree, c.Tree, WholeTree)
            .Select(e => new GitFileChange(e.Path, Status(e.Status), e.Status == ChangeKind.Renamed ? e.OldPath : null, e.LinesAdded, e.LinesDeleted))
            .ToList())).ToList();
    }

    private static string Status(ChangeKind kind) => kind switch
    {
        ChangeKind.Added or ChangeKind.Copied => "added",
        ChangeKind.Deleted => "deleted",
        ChangeKind.Renamed => "renamed",
        _ => "modified",
    };

    // A bare repository whose history exercises: nested and new folders, a flat folder large enough to be handed to
    // libgit2 whole, edits, adds, deletes (files and whole folders), renames with and without edits, mode changes,
    // binary content, a side branch, and commits that change nothing.
    private void BuildHistory(int commits, int seed)
    {
        var rng = new Random(seed);
        using var repo = new Repository(Repository.Init(_path, isBare: true));
        var files = new Dictionary<string, (string Content, Mode Mode)>(StringComparer.Ordinal);
        for (var i = 0; i < 90; i++)
        {
            files[$"flat/f{i:000}.txt"] = (Lines(rng, 8), Mode.NonExecutableFile);
        }

        for (var i = 0; i < 40; i++)
        {
            files[$"src/d{i % 5}/sub{i % 3}/file{i}.cs"] = (Lines(rng, 12), Mode.NonExecutableFile);
        }

        Commit(repo, files, 0);
        for (var n = 1; n < commits; n++)
        {
            var paths = files.Keys.ToList();
            var pick = paths[rng.Next(paths.Count)];
            switch (rng.Next(12))
            {
                case 0 or 1 or 2:
                    files[pick] = (files[pick].Content + $"line {n}\n", files[pick].Mode);
                    break;
                case 3:
                    files[$"src/d{rng.Next(7)}/new{n}/f.txt"] = (Lines(rng, 5), Mode.NonExecutableFile);
                    break;
                case 4:
                    files.Remove(pick);
                    break;
                case 5:
                    var folder = pick[..pick.LastIndexOf('/')];
                    foreach (var path in paths.Where(p => p.StartsWith(folder + "/", StringComparison.Ordinal) && paths.Count > 20))
                    {
                        files.Remove(path);
                    }

                    break;
                case 6:
                    files[$"moved/{n}/{Path.GetFileName(pick)}"] = files[pick];
                    files.Remove(pick);
                    break;
                case 7:
                    files[$"src/d{rng.Next(5)}/renamed{n}.cs"] = (files[pick].Content + "one more\n", files[pick].Mode);
                    files.Remove(pick);
                    break;
                case 8:
                    files[pick] = (files[pick].Content, files[pick].Mode == Mode.ExecutableFile ? Mode.NonExecutableFile : Mode.ExecutableFile);
                    break;
                case 9:
                    files[$"assets/blob{rng.Next(3)}.bin"] = ($"\0{n}\0" + Lines(rng, 2), Mode.NonExecutableFile);
                    break;
                case 10:
                    break;
                default:
                    files[$"flat/f{rng.Next(90):000}.txt"] = (Lines(rng, 9), Mode.NonExecutableFile);
                    files[pick] = (Lines(rng, 4) + files[pick].Content, files[pick].Mode);
                    break;
            }

            Commit(repo, files, n, branch: n % 40 >= 37 ? $"refs/heads/side{n / 40}" : "refs/heads/main");
        }
    }

    private void Commit(Repository repo, Dictionary<string, (string Content, Mode Mode)> files, int n, string branch = "refs/heads/main")
    {
        var tree = new TreeDefinition();
        foreach (var (path, (content, mode)) in files)
        {
            if (!_blobs.TryGetValue(content, out var blob))
            {
                _blobs[content] = blob = repo.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(content)));
            }

            tree.Add(path, blob, mode);
        }

        var parentRef = branch == "refs/heads/main" || repo.Refs[branch] is null ? repo.Refs["refs/heads/main"] : repo.Refs[branch];
        var parents = parentRef?.ResolveToDirectReference().Target is Commit parent ? new[] { parent } : [];
        var when = TestRepository.T0.AddMinutes(n);
        var signature = new Signature("Dev", "dev@example.com", when);
        var commit = repo.ObjectDatabase.CreateCommit(signature, signature, $"change {n}\n", repo.ObjectDatabase.CreateTree(tree), parents, prettifyMessage: false);
        repo.Refs.UpdateTarget(repo.Refs[branch] ?? repo.Refs.Add(branch, commit.Id), commit.Id);
    }

    private static string Lines(Random rng, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append("value_").Append(rng.Next(1000)).Append('\n');
        }

        return text.ToString();
    }
}
