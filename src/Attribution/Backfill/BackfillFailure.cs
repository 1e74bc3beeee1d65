namespace Attribution.Backfill;

/// <summary>How a backfill run failed, for the command's exit code.</summary>
public enum BackfillFailure
{
    /// <summary>401: the token was rejected (exit 2).</summary>
    Unauthorized,

    /// <summary>404: the repository or project is not there, or not visible with this token (exit 1).</summary>
    NotFound,

    /// <summary>Other API refusals, exhausted retries, malformed answers (exit 3).</summary>
    Unavailable,
}
