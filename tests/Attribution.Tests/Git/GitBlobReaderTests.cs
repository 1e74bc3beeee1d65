using System.Text;
using Attribution.Git;
using LibGit2Sharp;

namespace Attribution.Tests.Git;

/// <summary><see cref="GitBlobReader"/> on a real clone: large blobs whole, missing objects and non-blobs as null, many reads on one process.</summary>
public sealed class GitBlobReaderTests
{
    [Fact]
    public void Read_BlobsLargerThanAPipe_MissingAndNonBlobs_AnswersEachInTurn()
    {
        using var repo = TestRepository.Create();
        var big = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{{\"line\":{i}}}\n")); // ≈ 3 MB
        var commit = repo.Commit("add", TestRepository.T0, new Dictionary<string, string?> { ["big.jsonl"] = big, ["small.txt"] = "hi\n" });
        var tree = repo.Repo.Lookup<Commit>(commit).Tree;
        var bigSha = tree["big.jsonl"].Target.Sha;
        var smallSha = tree["small.txt"].Target.Sha;

        using var reader = GitBlobReader.Open(repo.Path);

        reader.Should().NotBeNull("git is installed where the tests run");
        Encoding.UTF8.GetString(reader!.Read(bigSha)!).Should().Be(big);
        reader.Read(new string('0', 39) + "1").Should().BeNull("the clone lacks it");
        reader.Read(tree.Sha).Should().BeNull("a tree is not a blob");
        reader.Read("not-a-sha").Should().BeNull();
        Encoding.UTF8.GetString(reader.Read(smallSha)!).Should().Be("hi\n", "the process still answers after misses");
    }
}
