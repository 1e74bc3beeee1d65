namespace Attribution.Store;

/// <summary>What one read of a transcript learned about one session, before it is merged into the store.</summary>
public sealed class SessionDraft(string sessionId, string agent)
{
    public string SessionId { get; } = sessionId;
    public string Agent { get; } = agent;
    public DateTimeOffset? StartedTs { get; private set; }
    public DateTimeOffset? EndedTs { get; private set; }
    public string? Cwd { get; set; }
    public string? GitBranch { get; set; }
    public string? Title { get; set; }

    /// <summary>The session this one was spawned or forked from (a sub-agent's parent), when the transcript says.</summary>
    public string? ParentSessionId { get; set; }

    /// <summary>The id the agent's hosted side knows the session by (Claude Code's <c>bridgeSessionId</c> without its <c>cse_</c>), when the transcript says.</summary>
    public string? RemoteId { get; set; }

    public Dictionary<string, SessionMessage> Messages { get; } = new(StringComparer.Ordinal);
    public List<SessionEventRecord> Events { get; } = [];

    public void SeeTimestamp(DateTimeOffset ts)
    {
        if (StartedTs is null || ts < StartedTs)
        {
            StartedTs = ts;
        }

        if (EndedTs is null || ts > EndedTs)
        {
            EndedTs = ts;
        }
    }

    /// <summary>Claude Code repeats a message's usage on several lines, growing: keep the largest of each count.</summary>
    public void AddMessage(SessionMessage message)
    {
        if (Messages.TryGetValue(message.MessageId, out var known))
        {
            message = known with
            {
                Model = message.Model ?? known.Model,
                InputTokens = Math.Max(known.InputTokens, message.InputTokens),
                OutputTokens = Math.Max(known.OutputTokens, message.OutputTokens),
                CacheWriteTokens = Math.Max(known.CacheWriteTokens, message.CacheWriteTokens),
                CacheReadTokens = Math.Max(known.CacheReadTokens, message.CacheReadTokens),
            };
        }

        Messages[message.MessageId] = message;
    }
}

/// <summary>
/// The result of reading a run of lines: sessions seen, lines skipped, warnings, and the first line that
/// must be read again next time (a tool call whose result has not been written yet).
/// </summary>
public sealed class TranscriptBatch
{
    private const int MaxWarnings = 50;

    // Working directory and branch each session had reached in earlier batches of the same stream: a draft
    // started in a later batch begins from them, as it would have had the stream been read in one batch.
    private readonly Dictionary<string, (string? Cwd, string? GitBranch)> _context;

    /// <param name="previous">The batch read just before from the same stream, when one stream is saved in parts.</param>
    public TranscriptBatch(string source, TranscriptBatch? previous = null)
    {
        Source = source;
        _context = previous is null ? new(StringComparer.Ordinal) : new(previous._context, StringComparer.Ordinal);
        foreach (var draft in previous?.Sessions.Values ?? Enumerable.Empty<SessionDraft>())
        {
            _context[draft.SessionId] = (draft.Cwd, draft.GitBranch);
        }
    }

    public string Source { get; }
    public Dictionary<string, SessionDraft> Sessions { get; } = new(StringComparer.Ordinal);
    public int SkippedLines { get; private set; }
    public List<string> Warnings { get; } = [];
    public int SuppressedWarnings { get; private set; }

    public SessionDraft Session(string sessionId, string agent)
    {
        if (!Sessions.TryGetValue(sessionId, out var draft))
        {
            draft = new SessionDraft(sessionId, agent);
            if (_context.TryGetValue(sessionId, out var context))
            {
                draft.Cwd = context.Cwd;
                draft.GitBranch = context.GitBranch;
            }

            Sessions[sessionId] = draft;
        }

        return draft;
    }

    public void Skip(long lineNumber, string reason)
    {
        SkippedLines++;
        Warn($"{Source}:{lineNumber}: {reason}");
    }

    public void Warn(string message)
    {
        if (Warnings.Count < MaxWarnings)
        {
            Warnings.Add(message);
        }
        else
        {
            SuppressedWarnings++;
        }
    }
}
