namespace Attribution.Linking.Outcomes;

/// <summary>The three answers to "is this work still good after N days?" (see <see cref="Verdicts.StillGood"/>).</summary>
public enum StillGoodVerdict
{
    /// <summary>Less than N days old, or no reference time yet (not committed, PR not merged): not judged.</summary>
    TooYoung,

    /// <summary>At least N days old and no fix or revert fell within its first N days.</summary>
    StillGood,

    /// <summary>At least N days old and a fix or revert fell within its first N days.</summary>
    NotStillGood,
}
