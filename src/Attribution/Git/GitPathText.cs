using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Attribution.Git;

/// <summary>
/// Paths as git stores them (bytes) turned into text without losing them. Valid UTF-8 reads as itself; each byte that is
/// not part of valid UTF-8 is written as git writes it when it quotes a path, a backslash and three octal digits
/// (<c>a\xff.txt</c> → <c>a\377.txt</c>, what <c>git log --stat</c> shows). Two names that differ in such bytes stay two
/// names, where a lossy decoder makes both <c>a\uFFFD.txt</c>.
/// </summary>
/// <remarks>
/// LibGit2Sharp decodes every path with replacement characters, so a changed path holding <c>\uFFFD</c> is read again
/// from git itself (<see cref="ReadChanges"/>), as bytes.
/// </remarks>
public static class GitPathText
{
    /// <summary>True when a path read through LibGit2Sharp may have lost bytes.</summary>
    public static bool MayBeLossy(string? path) => path is not null && path.Contains('\uFFFD', StringComparison.Ordinal);

    /// <summary>The text of a path's bytes: UTF-8, with every invalid byte as <c>\ooo</c>.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status == OperationStatus.Done)
            {
                text.Append(rune.ToString());
            }
            else
            {
                for (var i = 0; i < consumed; i++)
                {
                    text.Append('\\').Append(Convert.ToString(bytes[i], 8).PadLeft(3, '0'));
                }
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }

    /// <summary>
    /// The changes of <paramref name="sha"/> against <paramref name="parentSha"/> (null: a root commit) as git reports them,
    /// with the paths' bytes kept (<see cref="Decode"/>); null when git cannot be run or fails. Line counts are git's
    /// (<c>--numstat</c>; 0 for binary files), renames found as <c>-M</c> finds them.
    /// </summary>
    public static List<GitFileChange>? ReadChanges(string clonePath, string? parentSha, string sha, TimeSpan timeout)
    {
        var statuses = RunGit(clonePath, timeout, "diff-tree", "-z", "-r", "-M", "--no-commit-id", "--name-status", parentSha is null ? "--root" : parentSha, sha);
        var counts = RunGit(clonePath, timeout, "diff-tree", "-z", "-r", "-M", "--no-commit-id", "--numstat", parentSha is null ? "--root" : parentSha, sha);
        if (statuses is null || counts is null)
        {
            return null;
        }

        var fields = Split(statuses);
        var numbers = Split(counts);
        var changes = new List<GitFileChange>();
        int f = 0, n = 0;
        while (f < fields.Count && n < numbers.Count)
        {
            var code = Encoding.ASCII.GetString(fields[f++]);
            var renamed = code.StartsWith('R') || code.StartsWith('C');
            string? oldPath = null;
            string path;
            if (renamed)
            {
                if (f + 1 >= fields.Count)
                {
                    return null;
                }

                oldPath = Decode(fields[f++]);
                path = Decode(fields[f++]);
            }
            else
            {
                path = Decode(fields[f++]);
            }

            // numstat: "added\tdeleted\tpath" or, for a rename, "added\tdeleted\t" then old and new as fields of their own.
            var stat = numbers[n++];
            var text = Encoding.ASCII.GetString(stat, 0, Math.Min(stat.Length, 64));
            var parts = text.Split('\t');
            if (renamed)
            {
                n += 2;
            }

            var status = code[0] switch
            {
                'A' or 'C' => "added",
                'D' => "deleted",
                'R' => "renamed",
                _ => "modified",
            };
            changes.Add(new GitFileChange(path, status, status == "renamed" ? oldPath : null, Count(parts, 0), Count(parts, 1)));
        }

        return changes;
    }

    private static int Count(string[] parts, int index) =>
        parts.Length > index && int.TryParse(parts[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static List<byte[]> Split(byte[] output)
    {
        var fields = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (output[i] == 0)
            {
                fields.Add(output[start..i]);
                start = i + 1;
            }
        }

        return fields;
    }

    internal static byte[]? RunGit(string clonePath, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("git")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(clonePath);
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("core.quotePath=false");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            using var git = Process.Start(start);
            if (git is null)
            {
                return null;
            }

            using var output = new MemoryStream();
            var copy = git.StandardOutput.BaseStream.CopyToAsync(output);
            var errors = git.StandardError.ReadToEndAsync();
            if (!git.WaitForExit(timeout))
            {
                git.Kill(entireProcessTree: true);
                return null;
            }

            copy.Wait(timeout);
            errors.Wait(timeout);
            return git.ExitCode == 0 ? output.ToArray() : null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException or AggregateException)
        {
            // git is not installed or could not be started.
            return null;
        }
    }
}
