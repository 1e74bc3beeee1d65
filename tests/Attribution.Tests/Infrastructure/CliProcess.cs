using System.Diagnostics;

namespace Attribution.Tests.Infrastructure;

/// <summary>Runs the built <c>attribution</c> executable as a child process, as a user would.</summary>
public static class CliProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr);

    public static async Task<Result> RunAsync(IEnumerable<string> args, IDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "attribution.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // A clean slate: no settings leak in from the developer's environment.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ATTRIBUTION_", StringComparison.Ordinal) || k == "GITHUB_TOKEN").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ATTRIBUTION_WATCH_SESSIONS"] = "false";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"attribution {string.Join(' ', args)} did not exit in time. stderr: {await stderr}");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
