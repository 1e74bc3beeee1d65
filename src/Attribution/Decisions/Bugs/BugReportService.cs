using System.Text.Json;
using Attribution.Git;
using Attribution.Store;

namespace Attribution.Decisions.Bugs;

/// <summary>What a bug report asks: where (a file:line or a stack trace) in which repository, at which commit.</summary>
public sealed record BugReportRequest(string Project, string? File, int? Line, string? StackTrace, string? Commit, string? Description);

/// <summary>A frame as answered: the trace's path, the repository path it maps to (null when none), its line.</summary>
public sealed record MappedFrame(string File, int Line, string? Function, string? Path);

/// <summary>The answer of <c>cstp.reportBug</c>.</summary>
public sealed record BugReportResult(
    string Id, string? Dialect, IReadOnlyList<MappedFrame> Frames, string? File, int? Line, string? BlamedAt, string? IntroducingCommit, int? OriginLine,
    long? Pr, IReadOnlyList<SessionLinkEvidence> Sessions, IReadOnlyList<DecisionRecord> Decisions, string DecisionMatch, string? Note);

/// <summary>
/// Places a bug in the code (parsed frames mapped onto the repository tree), blames that line to its
/// introducing commit, follows it to its PR, sessions (confidence ≥ 0.5) and the decisions recorded on it,
/// and stores the report for outcome attribution.
/// </summary>
public sealed class BugReportService(DecisionStore decisions, OutcomeEvidenceStore evidence, RepositoryStore repositories, BlameReader blame, TimeProvider time)
{
    public const double MinSessionConfidence = 0.5;

    public async Task<BugReportResult> ReportAsync(BugReportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parsed = request.StackTrace is not null
            ? StackTraceParser.Parse(request.StackTrace)
            : new ParsedStackTrace(null, [new StackFrame(request.File!, request.Line!.Value, null)]);

        var repository = await repositories.FindAsync(request.Project, cancellationToken);
        var clone = repository?.ClonePath is { } path && Directory.Exists(path) ? path : null;
        string? blamedAt = null;
        string? note = null;
        IReadOnlyList<string> tree;
        if (clone is not null)
        {
            blamedAt = blame.ResolveCommit(clone, request.Commit, repository!.DefaultBranch);
            if (blamedAt is null)
            {
                tree = await evidence.KnownPathsAsync(request.Project, cancellationToken);
                note = $"commit {request.Commit ?? "(default branch head)"} is not in the registered clone; frames mapped onto recorded history, no blame";
            }
            else
            {
                tree = blame.ListFiles(clone, blamedAt, cancellationToken);
            }
        }
        else
        {
            tree = await evidence.KnownPathsAsync(request.Project, cancellationToken);
            note = $"no registered clone of {request.Project} to blame (register one with 'attribution ingest git'); frames mapped onto recorded history";
        }

        var mapper = new RepositoryPathMapper(tree);
        var frames = parsed.Frames.Select(f => new MappedFrame(f.File, f.Line, f.Function, mapper.Map(f.File))).ToList();
        var target = frames.FirstOrDefault(f => f.Path is not null);
        if (target is null && frames.Count > 0 && note is null)
        {
            note = "no frame maps to a file of the repository";
        }

        BlameLine? origin = null;
        if (target is not null && clone is not null && blamedAt is not null)
        {
            origin = blame.Blame(clone, blamedAt, target.Path!, target.Line);
            note ??= origin is null ? $"line {target.Line} is not in {target.Path} at {blamedAt[..7]}" : null;
        }

        long? pr = null;
        IReadOnlyList<SessionLinkEvidence> sessions = [];
        if (origin is not null)
        {
            pr = (await evidence.PrsForCommitAsync(request.Project, origin.OriginSha, cancellationToken)).FirstOrDefault()?.PrNumber;
            sessions = await evidence.SessionsForCommitAsync(request.Project, origin.OriginSha, MinSessionConfidence, cancellationToken);
        }

        IReadOnlyList<DecisionRecord> matched = [];
        var match = "none";
        if (target is not null)
        {
            var onFile = await decisions.ListForFileAsync(request.Project, target.Path!, cancellationToken);
            var onLine = onFile.Where(d => d.Line == target.Line || (origin is not null && d.Line == origin.OriginLine)).ToList();
            (matched, match) = onLine.Count > 0 ? (onLine, "line") : onFile.Count > 0 ? (onFile, "file") : (matched, match);
        }

        var record = new BugReportRecord
        {
            Id = "",
            Project = request.Project,
            FilePath = target?.Path,
            Line = target?.Line,
            OriginLine = origin?.OriginLine,
            IntroducingSha = origin?.OriginSha,
            PrNumber = pr,
            AtCommit = blamedAt,
            Description = request.Description,
            FramesJson = JsonSerializer.Serialize(frames.Take(50).Select(f => new { f.File, f.Line, f.Function, f.Path })),
            ReportedTs = time.GetUtcNow(),
        };
        var id = await StoreAsync(record, cancellationToken);
        return new BugReportResult(id, parsed.Dialect, frames, target?.Path, target?.Line, blamedAt, origin?.OriginSha, origin?.OriginLine, pr, sessions,
            matched, match, note);
    }

    private async Task<string> StoreAsync(BugReportRecord record, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var id = DecisionIds.NewBugId();
            if (await decisions.InsertBugAsync(record with { Id = id }, cancellationToken))
            {
                return id;
            }
        }

        throw new InvalidOperationException("Could not allocate a bug report id.");
    }
}
