using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Attribution.Artifacts;

namespace Attribution.Tests.Artifacts;

/// <summary><c>attribution sign</c> run as a process, its output checked with an independent HMAC computation.</summary>
public sealed class SignCommandTests
{
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string? secret, params string[] args)
    {
        var dll = typeof(Attribution.Hosting.AttributionCli).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ATTRIBUTION_SIGNING_SECRET");
        if (secret is not null)
        {
            start.Environment["ATTRIBUTION_SIGNING_SECRET"] = secret;
        }

        start.Environment["ATTRIBUTION_INSTANCE_ID"] = "prod-a";
        start.Environment["ATTRIBUTION_DB"] = Path.Combine(Path.GetTempPath(), "attribution-tests", Guid.NewGuid().ToString("N"), "unused.db");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }

    private static string IndependentSig(string canonical) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes("s3cret"), Encoding.UTF8.GetBytes(canonical)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [Fact]
    public async Task Sign_WithSecret_PrintsTrailerThatVerifiesIndependently()
    {
        var (code, stdout, _) = await RunAsync(" s3cret ", "sign", "--session", "sess-42", "--repo", "Owner/Repo", "--number", "42", "--agent-name", "coder");

        code.Should().Be(0);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().HaveCount(2);
        lines[0].Should().StartWith("Agents-Attribution: ");
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(Pad(lines[0]["Agents-Attribution: ".Length..].Replace('-', '+').Replace('_', '/'))));
        var expectedSig = IndependentSig("1\nprod-a\ndefault\nowner/repo\n42\nsess-42\n\ncoder");
        json.Should().Be($"{{\"v\":1,\"instance_id\":\"prod-a\",\"workspace\":\"default\",\"repo\":\"owner/repo\",\"number\":42,\"span_id\":\"sess-42\",\"agent_name\":\"coder\",\"sig\":\"{expectedSig}\"}}");
        lines[1].Should().Be($"<!-- agents-run: {json} -->");
    }

    [Fact]
    public async Task Sign_OutputTrailer_VerifiesThroughTheEngineVerifier()
    {
        var (_, stdout, _) = await RunAsync("s3cret", "sign", "--session", "sess-7", "--repo", "owner/repo", "--workspace", "team");

        var result = AttributionTrailerVerifier.Verify("feat: x\n\n" + stdout, "owner/repo", new SigningKey("s3cret", "prod-a", "team"));
        var elsewhere = AttributionTrailerVerifier.Verify("feat: x\n\n" + stdout, "owner/repo", new SigningKey("s3cret", "prod-a"));

        result.Result.Should().Be(TrailerResult.Verified);
        result.SessionId.Should().Be("sess-7");
        elsewhere.Verdict.Should().Be(AttributionVerdict.WorkspaceMismatch, "a deployment of workspace default refuses metadata of workspace team");
    }

    [Fact]
    public async Task Sign_NoSecret_ExitsTwoWithOneClearLine()
    {
        var (code, stdout, stderr) = await RunAsync(null, "sign", "--session", "sess-1", "--repo", "owner/repo");

        code.Should().Be(2);
        stdout.Should().BeEmpty();
        stderr.Trim().Should().Be("error: ATTRIBUTION_SIGNING_SECRET is not set: cannot sign attribution metadata.");
    }

    [Fact]
    public async Task Sign_BadRepo_ExitsTwo()
    {
        var (code, _, stderr) = await RunAsync("s3cret", "sign", "--session", "sess-1", "--repo", "not-a-slug");

        code.Should().Be(2);
        stderr.Should().Contain("--repo");
    }

    private static string Pad(string base64) => base64 + new string('=', (4 - (base64.Length % 4)) % 4);
}
