using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace EngineBench;

/// <summary>
/// `ingest git` of the dev-set repositories (`../shared/data/*.git.tar.gz`, every ref kept, checkpoint branch included)
/// against the issue's baseline, `git log --numstat` over the readable commits of `--all` (`compare/readable-numstat.sh`:
/// plain `git log --all --numstat` dies at the snapshots' first missing blob). Each repository is unpacked into a temp
/// folder, the baseline is timed, then the product's CLI ingests it into a fresh SQLite database, alternately, three times.
/// </summary>
internal static partial class DevSet
{
    public static int Run(string dataFolder, string serverDll, int rounds)
    {
        var tarballs = Directory.GetFiles(dataFolder, "*.git.tar.gz").Order(StringComparer.Ordinal).ToList();
        if (tarballs.Count == 0)
        {
            Console.Error.WriteLine($"no *.git.tar.gz in {dataFolder}");
            return 1;
        }

        var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "compare", "readable-numstat.sh"));
        var work = Directory.CreateTempSubdirectory("engine-bench-devset").FullName;
        try
        {
            foreach (var tarball in tarballs)
            {
                var name = Path.GetFileName(tarball)[..^".git.tar.gz".Length];
                var folder = Path.Combine(work, name);
                Directory.CreateDirectory(folder);
                Shell("tar", ["xzf", tarball, "-C", folder]);
                var repo = Path.Combine(folder, name + ".git");
                var baseline = new List<double>();
                var elapsed = new List<double>();
                var wall = new List<double>();
                for (var round = 0; round < rounds; round++)
                {
                    // The script times git three times; its fastest counts, as the product's fastest round does.
                    var times = BaselineTimes().Matches(Shell("bash", [script, repo])).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
                    baseline.Add(times.Min());
                    var db = Path.Combine(folder, $"round{round}.db");
                    var env = new Dictionary<string, string> { ["ATTRIBUTION_DB"] = db, ["ATTRIBUTION_WATCH_SESSIONS"] = "false", ["HOME"] = folder };
                    Shell("dotnet", [serverDll, "migrate"], env);
                    var clock = Stopwatch.StartNew();
                    var output = Shell("dotnet", [serverDll, "ingest", "git", "--path", repo, "--repo", "entireio/" + name], env);
                    wall.Add(clock.Elapsed.TotalSeconds);
                    elapsed.Add(double.Parse(Elapsed().Match(output).Groups[1].Value, CultureInfo.InvariantCulture));
                }

                double b = baseline.Min(), e = elapsed.Min(), w = wall.Min();
                Console.WriteLine(FormattableString.Invariant(
                    $"ingest git {name,-14} baseline (git log --numstat, readable commits of --all) {b:0.00} s; ingest elapsed {e:0.00} s = {e / b:0.00}x; CLI wall {w:0.00} s = {w / b:0.00}x  (best of {rounds}; elapsed {string.Join(" ", elapsed.Select(x => x.ToString("0.00", CultureInfo.InvariantCulture)))})"));
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return 0;
    }

    [GeneratedRegex(@"readable commits of --all: ([0-9.]+) s wall", RegexOptions.CultureInvariant)]
    private static partial Regex BaselineTimes();

    [GeneratedRegex(@"^elapsed: ([0-9.]+) s", RegexOptions.CultureInvariant | RegexOptions.Multiline)]
    private static partial Regex Elapsed();

    /// <summary>Runs a command to its end; its stdout and stderr together. Throws when it fails.</summary>
    private static string Shell(string file, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {errors.Result}");
        }

        return output + errors.Result;
    }
}
