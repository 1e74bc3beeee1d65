using System.Net;

namespace Attribution.Backfill;

/// <summary>
/// Owns retries for both providers below their clients (under Octokit's <c>HttpClientAdapter</c> and under
/// the GitLab <see cref="HttpClient"/>), so rate limits, 5xx and timeouts are handled one way. Waits go
/// through <see cref="TimeProvider"/> (fake in tests); the per-attempt timeout is wall-clock time.
/// </summary>
public sealed class ApiRetryHandler(BackfillHttpSettings settings, BackfillStats stats, TimeProvider time, ILogger logger, CancellationToken runCancellation) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Octokit's raw GET takes no token: the run's token is linked here so Ctrl+C ends a rate-limit wait too.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, runCancellation);
        return await SendWithRetriesAsync(request, linked.Token);
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var errorAttempts = 0;
        var rateWaits = 0;
        while (true)
        {
            stats.CountCall();
            HttpResponseMessage response;
            using (var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attempt.CancelAfter(settings.AttemptTimeout);
                try
                {
                    response = await base.SendAsync(request, attempt.Token);
                    // Buffer while the attempt's timeout still applies, so a stalled body counts as a timeout too.
                    await response.Content.LoadIntoBufferAsync(attempt.Token);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is OperationCanceledException or HttpRequestException)
                {
                    if (errorAttempts >= settings.MaxRetries)
                    {
                        throw new BackfillException(BackfillFailure.Unavailable,
                            $"{request.RequestUri?.Host} did not answer after {errorAttempts + 1} attempts ({(ex is OperationCanceledException ? "timed out" : ex.Message)})");
                    }

                    var delay = RetryPolicy.Backoff(errorAttempts++, Random.Shared.NextDouble());
                    BackfillLog.Retrying(logger, ex is OperationCanceledException ? "timeout" : "connection error", delay.TotalSeconds, errorAttempts, settings.MaxRetries);
                    await WaitAsync(delay, countAsWait: false, cancellationToken);
                    continue;
                }
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            string? body = null;
            if (response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests)
            {
                body = await response.Content.ReadAsStringAsync(cancellationToken);
            }

            var decision = RetryPolicy.Decide(response.StatusCode, name => Header(response, name), body, errorAttempts, time.GetUtcNow(), Random.Shared.NextDouble());
            var budgetLeft = decision.Kind switch
            {
                RetryKind.None => false,
                RetryKind.ServerError => errorAttempts < settings.MaxRetries,
                _ => rateWaits < settings.MaxRateLimitWaits && decision.Delay <= settings.MaxWait,
            };
            if (!budgetLeft)
            {
                return response;
            }

            if (decision.Kind == RetryKind.ServerError)
            {
                errorAttempts++;
                BackfillLog.Retrying(logger, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), decision.Delay.TotalSeconds, errorAttempts, settings.MaxRetries);
            }
            else
            {
                rateWaits++;
                if (decision.Kind == RetryKind.SecondaryRateLimit)
                {
                    errorAttempts++;
                }

                BackfillLog.RateLimited(logger, decision.Kind == RetryKind.PrimaryRateLimit ? "primary" : "secondary",
                    decision.Delay.TotalSeconds, time.GetUtcNow() + decision.Delay);
            }

            response.Dispose();
            await WaitAsync(decision.Delay, countAsWait: decision.Kind != RetryKind.ServerError, cancellationToken);
        }
    }

    private async Task WaitAsync(TimeSpan delay, bool countAsWait, CancellationToken cancellationToken)
    {
        stats.CountRetry();
        if (countAsWait)
        {
            stats.CountWait(delay);
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken);
        }
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? contentValues.FirstOrDefault()
        : null;
}
