using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Attribution.Git;

/// <summary>
/// Reads commits and their changed files from <c>git log --raw --numstat -z</c> run as a child process: git computes the
/// same line counts as the LibGit2Sharp diff about five times faster (it skips equal subtrees and never builds patch
/// text). The commits to read are listed first (<c>git rev-list</c>) and handed to <c>git log --no-walk --stdin</c> in
/// that order, so when git stops at a commit whose objects are missing (partial clones), that one commit is read by
/// the caller's fallback and git resumes after it. Null from <see cref="List"/> means git cannot be used here.
/// </summary>
internal static class GitLogReader
{
    // %x01 opens a commit; every field ends with NUL (a message cannot hold one). %e: the encoding header, so a commit
    // written in another encoding is read by the fallback exactly as before (git would re-encode its message).
    private const string Format = "--format=%x01%H%x00%P%x00%an%x00%ae%x00%at%x00%cn%x00%ce%x00%ct%x00%e%x00%B%x00";

    /// <summary>Commits reachable from <paramref name="tips"/> and not from <paramref name="knownTips"/>; null when git fails.</summary>
    public static List<string>? List(string clonePath, IReadOnlyCollection<string> tips, IReadOnlyCollection<string> knownTips, CancellationToken cancellationToken)
    {
        if (File.Exists(Path.Combine(clonePath, "shallow")) || File.Exists(Path.Combine(clonePath, ".git", "shallow")))
        {
            return null; // grafted history: libgit2 and git could disagree on parents; keep the one reader there
        }

        using var git = Start(clonePath, ["rev-list", "--stdin"]);
        var shas = new List<string>();
        return git is not null && Drain(git, tips.Concat(knownTips.Select(known => "^" + known)), line =>
        {
            if (line.Length == 40)
            {
                shas.Add(line);
            }
        }, cancellationToken) ? shas : null;
    }

    /// <summary>
    /// The commits of <paramref name="shas"/> from <paramref name="start"/> on, in that order, as far as git gets:
    /// <paramref name="stopped"/> is false when git read them all, true when it failed at the commit after the last one yielded.
    /// A commit whose message declares another encoding, and every commit in <paramref name="skip"/> (git is not asked
    /// for those), is yielded as null: the caller reads it itself.
    /// </summary>
    public static IEnumerable<GitCommitData?> Read(string clonePath, List<string> shas, int start, IReadOnlySet<string> skip, StrongBox<bool> stopped, CancellationToken cancellationToken)
    {
        stopped.Value = false;
        using var git = Start(clonePath,
        [
            "log", "--no-walk=unsorted", "--stdin", "--no-use-mailmap", "--no-show-signature", "--no-color", "--no-textconv", "--no-ext-diff",
            "--root", "--diff-merges=first-parent", "-M", "--diff-algorithm=myers", "--raw", "--numstat", "-z", "--no-abbrev", Format,
        ]);
        if (git is null)
        {
            stopped.Value = true;
            yield break;
        }

        var feed = Task.Run(() =>
        {
            try
            {
                for (var i = start; i < shas.Count; i++)
                {
                    if (!skip.Contains(shas[i]))
                    {
                        git.StandardInput.Write(shas[i] + "\n");
                    }
                }

                git.StandardInput.Close();
            }
            catch (IOException)
            {
                // git died (a missing object): the caller resumes after that commit.
            }
        }, CancellationToken.None);
        var errors = git.StandardError.ReadToEndAsync(CancellationToken.None);
        var input = new BufferedStream(git.StandardOutput.BaseStream, 1 << 16);
        var parser = new Parser(input);
        var yielded = 0;
        try
        {
            // Each commit is complete only when the next one opens (or git exits cleanly): a commit git died in is dropped.
            var pending = parser.Next();
            while (true)
            {
                while (start + yielded < shas.Count && skip.Contains(shas[start + yielded]))
                {
                    yielded++;
                    yield return null;
                }

                if (pending is null)
                {
                    break;
                }

                cancellationToken.ThrowIfCancellationRequested();
                var next = parser.Next();
                if (next is null)
                {
                    git.WaitForExit();
                    if (git.ExitCode != 0 || parser.Broken)
                    {
                        break;
                    }
                }

                if (pending.Value.Sha != shas[start + yielded])
                {
                    break; // not the order asked for: trust nothing more from this run
                }

                yielded++;
                yield return pending.Value.Data;
                pending = next;
            }
        }
        finally
        {
            if (!git.HasExited)
            {
                git.Kill(entireProcessTree: true);
            }

            git.WaitForExit();
            try
            {
                feed.Wait(TimeSpan.FromSeconds(10));
                errors.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
                // The pipes closed under a killed git.
            }
        }

        stopped.Value = start + yielded < shas.Count;
    }

    /// <summary>
    /// The commits of <paramref name="shas"/> from <paramref name="start"/> on whose first-parent diff names a blob the
    /// clone lacks (snapshots and partial clones): <c>git log --raw --no-renames</c> (no line counts, no rename detection) reads
    /// trees only, and <c>git cat-file --batch-check</c> says which of the blobs they name are missing. Handing those to
    /// the fallback up front spares a restart of <c>git log</c> at each of them. Null when git cannot tell (a tree is
    /// missing too, or git fails).
    /// </summary>
    public static HashSet<string>? CommitsMissingBlobs(string clonePath, List<string> shas, int start, CancellationToken cancellationToken)
    {
        var blobsOf = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? blobs = null; // of the commit git is answering (one after another, in the order asked)
        using (var git = Start(clonePath, ["log", "--no-walk=unsorted", "--stdin", "--no-color", "--no-abbrev", "--no-renames", "--root", "--diff-merges=first-parent", "--raw", "--format=%x01%H"]))
        {
            if (git is null || !Drain(git, shas.Skip(start), line =>
                {
                    if (line.Length == 41 && line[0] == '\x01')
                    {
                        blobsOf[line[1..]] = blobs = [];
                    }
                    else if (line.StartsWith(':') && blobs is not null)
                    {
                        // ":100644 100644 <old> <new> M\tpath": gitlinks (160000) name commits of another repository.
                        var fields = line.Split('\t', 2)[0].Split(' ');
                        for (var side = 0; side < 2 && fields.Length >= 4; side++)
                        {
                            if (fields[side].TrimStart(':') != "160000" && fields[2 + side].Trim('0').Length > 0)
                            {
                                blobs.Add(fields[2 + side]);
                            }
                        }
                    }
                }, cancellationToken))
            {
                return null;
            }
        }

        var missing = new HashSet<string>(StringComparer.Ordinal);
        using (var git = Start(clonePath, ["cat-file", "--batch-check"]))
        {
            if (git is null || !Drain(git, blobsOf.Values.SelectMany(b => b).Distinct(), line =>
                {
                    if (line.EndsWith(" missing", StringComparison.Ordinal))
                    {
                        missing.Add(line[..^" missing".Length]);
                    }
                }, cancellationToken))
            {
                return null;
            }
        }

        return blobsOf.Where(c => c.Value.Exists(missing.Contains)).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Feeds <paramref name="input"/> to git's stdin line by line while each output line goes to <paramref name="onLine"/>; false when git fails.</summary>
    private static bool Drain(Process git, IEnumerable<string> input, Action<string> onLine, CancellationToken cancellationToken)
    {
        var feed = Task.Run(() =>
        {
            try
            {
                foreach (var line in input)
                {
                    git.StandardInput.Write(line + "\n");
                }

                git.StandardInput.Close();
            }
            catch (IOException)
            {
                // git stopped reading: its exit code says so.
            }
        }, CancellationToken.None);
        var errors = git.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            while (git.StandardOutput.ReadLine() is { } line)
            {
                cancellationToken.ThrowIfCancellationRequested();
                onLine(line);
            }
        }
        finally
        {
            if (!git.HasExited)
            {
                git.Kill(entireProcessTree: true);
            }

            git.WaitForExit();
            feed.Wait(TimeSpan.FromSeconds(10));
            errors.Wait(TimeSpan.FromSeconds(10));
        }

        return git.ExitCode == 0;
    }

    /// <summary>Starts git in <paramref name="clonePath"/> with redirected streams; null when git is not installed.</summary>
    internal static Process? Start(string clonePath, string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        // Replacement refs would make git read other objects than libgit2 does; paths are wanted as bytes.
        info.Environment["GIT_NO_REPLACE_OBJECTS"] = "1";
        info.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var arg in (string[])["-C", clonePath, "-c", "core.quotePath=false", .. args])
        {
            info.ArgumentList.Add(arg);
        }

        try
        {
            return Process.Start(info);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return null; // git is not installed
        }
    }

    /// <summary>Byte-level parser of the <c>-z</c> stream: header fields, then <c>--raw</c> entries, then their <c>--numstat</c> entries.</summary>
    private sealed class Parser(Stream input)
    {
        private readonly MemoryStream _field = new();
        private int _peek = -2;

        public bool Broken { get; private set; }

        public (string Sha, GitCommitData? Data)? Next()
        {
            SkipSeparators();
            if (Peek() != 1)
            {
                if (Peek() >= 0)
                {
                    Broken = true;
                }

                return null;
            }

            Read();
            var sha = Text(Field());
            var parents = Text(Field());
            var authorName = Text(Field());
            var authorEmail = Text(Field());
            var authorTs = Seconds(Text(Field()));
            var committerName = Text(Field());
            var committerEmail = Text(Field());
            var committerTs = Seconds(Text(Field()));
            var encoding = Text(Field());
            var message = Text(Field()).TrimStart('\n'); // libgit2 drops newlines before the message
            SkipSeparators();

            var raw = new List<(char Status, string Path, string? OldPath)>();
            while (Peek() == ':')
            {
                var header = Text(Field());
                var status = header.Length > 0 ? header[header.LastIndexOf(' ') + 1] : '?';
                if (status is 'R' or 'C')
                {
                    var oldPath = GitPathText.Decode(Field());
                    raw.Add((status, GitPathText.Decode(Field()), oldPath));
                }
                else
                {
                    raw.Add((status, GitPathText.Decode(Field()), null));
                }
            }

            SkipSeparators();
            var files = new List<GitFileChange>(raw.Count);
            foreach (var (status, path, oldPath) in raw)
            {
                // "added\tdeleted\tpath" or, for a rename, "added\tdeleted\t" and then the two paths as fields of their own.
                var stat = Field();
                var first = stat.IndexOf((byte)'\t');
                var second = first < 0 ? -1 : stat.AsSpan(first + 1).IndexOf((byte)'\t') + first + 1;
                if (second <= first)
                {
                    Broken = true;
                    return null;
                }

                if (oldPath is not null)
                {
                    Field();
                    Field();
                }

                // A type change (file ↔ symlink or submodule) has no lines in the libgit2 patch; git counts both sides.
                var added = status == 'T' ? 0 : Count(stat.AsSpan(0, first));
                var deleted = status == 'T' ? 0 : Count(stat.AsSpan(first + 1, second - first - 1));
                var kind = status switch
                {
                    'A' or 'C' => "added",
                    'D' => "deleted",
                    'R' => "renamed",
                    _ => "modified",
                };
                files.Add(new GitFileChange(path, kind, kind == "renamed" ? oldPath : null, added, deleted));
            }

            if (encoding.Length > 0 && !encoding.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !encoding.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                return (sha, null);
            }

            var parentList = parents.Length == 0 ? [] : parents.Split(' ');
            return (sha, new GitCommitData(sha, parentList, authorName, authorEmail, authorTs, committerName, committerEmail, committerTs, message, files, true));
        }

        // Binary files count "-": stored as 0 lines, as the libgit2 patch counts them.
        private static int Count(ReadOnlySpan<byte> digits) =>
            int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

        private static DateTimeOffset Seconds(string text) =>
            DateTimeOffset.FromUnixTimeSeconds(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));

        // LibGit2Sharp decodes names and messages as UTF-8 with replacement characters; so does this.
        private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

        private void SkipSeparators()
        {
            while (Peek() is 0 or (byte)'\n')
            {
                Read();
            }
        }

        private byte[] Field()
        {
            _field.SetLength(0);
            int b;
            while ((b = Read()) > 0)
            {
                _field.WriteByte((byte)b);
            }

            if (b < 0)
            {
                Broken = true;
            }

            return _field.ToArray();
        }

        private int Peek()
        {
            if (_peek == -2)
            {
                _peek = input.ReadByte();
            }

            return _peek;
        }

        private int Read()
        {
            var b = Peek();
            _peek = -2;
            return b;
        }
    }
}
