using Attribution.Decisions.Bugs;
using Attribution.Decisions.Rpc;

namespace Attribution.Decisions.Methods;

/// <summary><c>cstp.reportBug</c>: a file:line or a stack trace → introducing commit, PR, sessions and decisions.</summary>
public sealed class ReportBugMethod(BugReportService bugs) : IJsonRpcMethod
{
    public const int MaxStackTrace = 256 * 1024;

    public string Name => "cstp.reportBug";

    public async Task<object> InvokeAsync(RpcParams parameters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var project = DecisionFields.Project(parameters, required: true)!;
        var trace = parameters.String("stackTrace", MaxStackTrace);
        var file = DecisionFields.FilePath(parameters);
        var line = DecisionFields.Line(parameters);
        if (trace is null && (file is null || line is null))
        {
            throw parameters.Invalid(file is null ? "file" : "line", "is required: give 'file' and 'line', or 'stackTrace'");
        }

        if (trace is not null && StackTraceParser.Parse(trace).Frames.Count == 0 && file is null)
        {
            throw parameters.Invalid("stackTrace", "holds no frame in Python, .NET, Java, Go or JavaScript form");
        }

        if (trace is not null && file is not null && line is not null)
        {
            trace = null; // An explicit file:line says where the bug is; the trace is then only context.
        }

        var request = new BugReportRequest(project, file, (int?)line, trace, DecisionFields.Commit(parameters),
            parameters.String("description", DecisionFields.MaxText) ?? parameters.String("summary", DecisionFields.MaxText));
        var result = await bugs.ReportAsync(request, cancellationToken);
        return new Dictionary<string, object?>
        {
            ["id"] = result.Id,
            ["dialect"] = result.Dialect,
            ["frames"] = result.Frames.Select(f => new Dictionary<string, object?>
            {
                ["file"] = f.File, ["line"] = f.Line, ["function"] = f.Function, ["path"] = f.Path, ["inRepository"] = f.Path is not null,
            }).ToList(),
            ["file"] = result.File,
            ["line"] = result.Line,
            ["blamedAt"] = result.BlamedAt,
            ["introducingCommit"] = result.IntroducingCommit,
            ["originLine"] = result.OriginLine,
            ["pr"] = result.Pr,
            ["sessions"] = result.Sessions.Select(s => new Dictionary<string, object?>
            {
                ["sessionId"] = s.SessionId, ["linkType"] = s.LinkType, ["confidence"] = s.Confidence,
            }).ToList(),
            ["decisions"] = result.Decisions.Select(DecisionFields.ToJson).ToList(),
            ["decisionMatch"] = result.DecisionMatch,
            ["note"] = result.Note,
        };
    }
}
