namespace Attribution.Sessions;

/// <summary>Totals of an ingest run.</summary>
public sealed class SessionIngestSummary
{
    public int Files { get; set; }
    public int FilesRead { get; set; }
    public int SessionsNew { get; set; }
    public int SessionsUpdated { get; set; }
    public int Events { get; set; }
    public int SkippedLines { get; set; }

    /// <summary>Sessions in the database without a repository after the run (their folders are not clones registered here).</summary>
    public long SessionsWithoutRepository { get; set; }
    public List<string> Warnings { get; } = [];

    public bool Changed => SessionsNew + SessionsUpdated > 0;
}

/// <summary>One session of an import: its id and the events read for it.</summary>
public sealed record ImportedSession(string SessionId, int Events);

/// <summary>The answer of <c>POST /api/sessions/import</c>.</summary>
public sealed record SessionImportResult(IReadOnlyList<ImportedSession> Sessions, int SkippedLines);
