using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Attribution.Tests.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>
/// The built app as a child process (<c>dotnet attribution.dll serve --urls http://127.0.0.1:PORT</c>) on a free
/// loopback port. Disposing kills it (SIGKILL) if it still runs; <see cref="Kill"/> is the crash under test.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();

    private ServeProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        Webhooks = new SignedWebhookClient(Http);
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public SignedWebhookClient Webhooks { get; }

    public int ProcessId => _process.Id;

    /// <summary>Settings every instance needs: the database and the three receiver secrets, as environment variables.</summary>
    public static Dictionary<string, string?> Environment(string provider, string connection) => new()
    {
        ["ATTRIBUTION_DB_PROVIDER"] = provider,
        ["ATTRIBUTION_DB"] = connection,
        ["ATTRIBUTION_GITHUB_WEBHOOK_SECRET"] = SignedWebhookClient.GitHubSecret,
        ["ATTRIBUTION_GITLAB_WEBHOOK_TOKEN"] = SignedWebhookClient.GitLabToken,
        ["ATTRIBUTION_CI_WEBHOOK_SECRET"] = SignedWebhookClient.CiSecret,
    };

    public static ServeProcess Start(IDictionary<string, string?> environment)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "attribution.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ATTRIBUTION_", StringComparison.Ordinal) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ATTRIBUTION_WATCH_SESSIONS"] = "false";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var serve = new ServeProcess(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"));
        process.OutputDataReceived += (_, e) => serve.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => serve.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>Waits (bounded) for <c>/healthz</c> 200; throws with the last log lines if the process died or never got healthy.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"serve exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"serve at {BaseAddress} not healthy after {timeout}: {Log}");
    }

    /// <summary>SIGKILL: no shutdown hooks run, nothing is flushed.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit(10_000);
    }

    /// <summary>Peak resident set size (VmHWM) in KiB, from /proc; null where that is not available.</summary>
    public long? PeakRssKib()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    public string Log
    {
        get
        {
            lock (_lastLines)
            {
                return string.Join('\n', _lastLines);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        Http.Dispose();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lastLines)
        {
            _lastLines.Enqueue(line);
            while (_lastLines.Count > 40)
            {
                _lastLines.Dequeue();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
