using System.Text.Json;
using Attribution.Store;

namespace Attribution.Linking;

/// <summary>
/// What an incremental pass over one repository recomputes, and why that is enough. New commits can only change links
/// whose commit was written from <see cref="CommitsFrom"/> on (their author and committer times, less a rewritten
/// output's lead and a margin); a changed session, those of the commits it reaches (<see cref="LinkPass.Reaches"/>) and
/// of those it was linked to. Those commits are rescored whole, with every session active within the rubric's reach
/// (<see cref="LinkPass.Reach"/>) before <see cref="LinkFrom"/>, the earliest of them; nothing older is read. Downstream touches change only for targets that
/// share a file with a new commit or a commit whose links changed, within the downstream window before it; line figures
/// change as well for targets whose survival horizon passed since the previous pass and for those following a file the
/// new commits, or the head's move, changed.
/// </summary>
public sealed record IncrementalScope(
    IReadOnlyList<LinkCommit> NewCommits,
    IReadOnlySet<string> ChangedSessions,
    DateTimeOffset LinkFrom,
    PassMark Previous,
    bool ChangedSessionsNameBranches)
{
    /// <summary>Where the new commits' reach starts: commits written from then on are rescored whoever worked on them (none: no new commit).</summary>
    public DateTimeOffset CommitsFrom { get; init; } = DateTimeOffset.MaxValue;

    /// <summary>Commits the changed sessions were linked to before: rescored, so that links no longer found are removed.</summary>
    public IReadOnlySet<string> LinkedBefore { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Above these, a full pass is cheaper than tracing what the new input reaches.</summary>
    public const int MaxNewCommits = 2_000;

    public const int MaxChangedSessions = 200;

    /// <summary>Slack added to every time bound (clock skew between machines, rounding of stored times).</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromHours(1);
}

/// <summary>
/// What a pass over a repository saw when it started (the input counts and high-water marks), when, and the head it read
/// lines at: the next pass takes what was written since as its new input. Kept under the cursor source <see cref="Source"/>.
/// </summary>
public sealed record PassMark(string Scope, FingerprintRow Inputs, DateTimeOffset PassedAt, string? Head)
{
    public const string Source = "attribution-mark";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>The stored mark, or null when there is none or it cannot be read (a full pass follows).</summary>
    public static PassMark? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<PassMark>(json, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether only commits and sessions were added or changed since this mark: PRs, PR members and what source tools
    /// recorded (Entire checkpoints, git-ai notes) are the same, nothing was removed, and the pass covers the same period
    /// with the same settings.
    /// </summary>
    public bool OnlyAdditionsSince(string scope, FingerprintRow now) =>
        Scope == scope
        && now.Prs == Inputs.Prs && now.PrsUpdated == Inputs.PrsUpdated && now.PrCommits == Inputs.PrCommits
        && now.Recorded == Inputs.Recorded && now.RecordedUpdated == Inputs.RecordedUpdated
        && now.Commits >= Inputs.Commits && now.Sessions >= Inputs.Sessions && now.Events >= Inputs.Events;
}
