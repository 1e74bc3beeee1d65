using System.Collections.Concurrent;
using System.Net;
using Attribution.Tests.Webhooks;

namespace Attribution.Tests.Reliability;

/// <summary>
/// Load for the crash runs: workers send distinct GitHub pull_request deliveries until stopped or the server dies,
/// remembering every delivery answered 2xx (those must survive the crash).
/// </summary>
public sealed class CrashLoad(string repo, int firstNumber)
{
    private int _next = firstNumber;

    public ConcurrentDictionary<string, int> Acknowledged { get; } = new(StringComparer.Ordinal);

    public async Task RunAsync(SignedWebhookClient client, int workers, CancellationToken stop)
    {
        var tasks = Enumerable.Range(0, workers).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                var number = Interlocked.Increment(ref _next);
                var id = $"crash-{number}";
                var body = Payloads.GitHub("github/pull_request.opened.json", repo, n => n["pull_request"]!["number"] = number);
                try
                {
                    using var response = await client.GitHubAsync("pull_request", body, id);
                    if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                    {
                        Acknowledged[id] = number;
                    }
                }
                catch (HttpRequestException)
                {
                    return; // the server is gone
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        });
        await Task.WhenAll(tasks);
    }
}
