using Attribution.Sessions.Codex;
using Attribution.Store;

namespace Attribution.Sessions;

/// <summary>A session's token totals, model and cost from its messages, priced by <see cref="PriceTable"/>.</summary>
public sealed class SessionCosts(PriceTable prices)
{
    /// <summary>
    /// Totals, model (most output tokens) and cost (null when any priced message has an unknown model). A forked
    /// Codex sub-agent's inherited usage (<see cref="CodexParser.ForkBaseMessageId"/>) is taken off its running total.
    /// </summary>
    public SessionTotals Totals(IReadOnlyList<SessionMessageUsage> messages)
    {
        if (messages.FirstOrDefault(m => m.MessageId == CodexParser.ForkBaseMessageId) is { } inherited)
        {
            messages = [.. messages.Where(m => m.MessageId != CodexParser.ForkBaseMessageId).Select(m => m.MessageId != CodexParser.TotalMessageId ? m : m with
            {
                InputTokens = Math.Max(0, m.InputTokens - inherited.InputTokens),
                OutputTokens = Math.Max(0, m.OutputTokens - inherited.OutputTokens),
                CacheReadTokens = Math.Max(0, m.CacheReadTokens - inherited.CacheReadTokens),
            })];
        }

        // Totals a source tool reported (docs/sources.md) stand in for a session only until its own messages are read.
        if (messages.Any(m => !SessionIngestor.RecordedMessageIds.Contains(m.MessageId)) && messages.Any(m => SessionIngestor.RecordedMessageIds.Contains(m.MessageId)))
        {
            messages = messages.Where(m => !SessionIngestor.RecordedMessageIds.Contains(m.MessageId)).ToList();
        }

        long input = 0, output = 0, write = 0, read = 0;
        decimal cost = 0;
        var known = messages.Count > 0;
        var byModel = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var m in messages)
        {
            input += m.InputTokens;
            output += m.OutputTokens;
            write += m.CacheWriteTokens;
            read += m.CacheReadTokens;
            if (m.Model is { Length: > 0 } model)
            {
                byModel[model] = byModel.GetValueOrDefault(model) + m.OutputTokens;
            }

            if (m.InputTokens + m.OutputTokens + m.CacheWriteTokens + m.CacheReadTokens == 0)
            {
                continue;
            }

            var c = prices.Cost(m.Model, m.Ts, m.InputTokens, m.OutputTokens, m.CacheWriteTokens, m.CacheReadTokens);
            if (c is null)
            {
                known = false;
            }
            else
            {
                cost += c.Value;
            }
        }

        var top = byModel.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault();
        if (top is null || prices.Find(top, messages.Select(m => m.Ts).Max()) is null)
        {
            known = false;
        }

        return new SessionTotals(top, input, output, write, read, known ? decimal.Round(cost, 6) : null);
    }
}
