using Attribution.Tests.Infrastructure;

namespace Attribution.Tests.Sessions;

public sealed class TranscriptEventTests
{
    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task CodexShellCommitPushAndPr_RecordedFromOutputs(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = Path.Combine(h.Folder, "rollout-2026-03-01T10-00-00-c0ffee.jsonl");
        await File.WriteAllTextAsync(file, """
            {"timestamp":"2026-03-01T10:00:00Z","type":"session_meta","payload":{"id":"c0ffee","timestamp":"2026-03-01T10:00:00Z","cwd":"/src/app","git":{"branch":"main"}}}
            {"timestamp":"2026-03-01T10:00:01Z","type":"turn_context","payload":{"cwd":"/src/app","model":"gpt-5-codex"}}
            {"timestamp":"2026-03-01T10:00:02Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\"command\":[\"bash\",\"-lc\",\"git switch -c fix/login && git commit -am 'Fix login' && git push -u origin fix/login\"],\"workdir\":\"/src/app\"}","call_id":"call_1"}}
            {"timestamp":"2026-03-01T10:00:05Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_1","output":"{\"output\":\"Switched to a new branch 'fix/login'\\n[fix/login 5e6f7a8] Fix login\\n 1 file changed\\nTo github.com:o/r.git\\n * [new branch]      fix/login -> fix/login\\n\",\"metadata\":{\"exit_code\":0}}"}}
            {"timestamp":"2026-03-01T10:00:06Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"gh pr create --fill\"}","call_id":"call_2"}}
            {"timestamp":"2026-03-01T10:00:09Z","type":"response_item","payload":{"type":"function_call_output","call_id":"call_2","output":"Process exited with code 0\nOutput:\nhttps://github.com/o/r/pull/17\n"}}
            {"timestamp":"2026-03-01T10:00:10Z","type":"event_msg","payload":{"type":"token_count","info":{"total_token_usage":{"input_tokens":5000,"cached_input_tokens":1000,"output_tokens":300}}}}

            """);

        await h.IngestAsync(file);

        var events = await h.EventsAsync("c0ffee");
        events.Where(e => e.Kind != "shell").Select(e => (e.Kind, e.Sha, e.Branch, e.Subject, e.PrNumber)).Should().Equal(
            ("branch", null, "fix/login", null, null),
            ("branch", null, "fix/login", null, null),
            ("commit", "5e6f7a8", "fix/login", "Fix login", null),
            ("push", null, "fix/login", null, null),
            ("pr", null, null, null, 17));
        events.Where(e => e.Kind == "shell").Select(e => e.IsError).Should().Equal(false, false);
        var s = await h.SessionAsync("c0ffee");
        (s.GitBranch, s.Model, s.InputTokens, s.CacheReadTokens, s.OutputTokens).Should().Be(("main", "gpt-5-codex", 4000L, 1000L, 300L));
        s.CostUsd.Should().BeApproximately(0.008125, 1e-9); // 4000*1.25 + 300*10 + 1000*0.125 per million
    }

    [Theory]
    [MemberData(nameof(TestProviders.All), MemberType = typeof(TestProviders))]
    public async Task ClaudePrLinkRecord_RecordedAsPr(string provider)
    {
        await using var h = await SessionHarness.CreateAsync(provider);
        var file = Path.Combine(h.Folder, "pr.jsonl");
        await File.WriteAllTextAsync(file, """
            {"type":"user","sessionId":"pr-1","timestamp":"2026-03-01T10:00:00Z","uuid":"u1","message":{"role":"user","content":"open a PR"}}
            {"type":"pr-link","sessionId":"pr-1","timestamp":"2026-03-01T10:05:00Z","uuid":"u2","prNumber":42,"prUrl":"https://github.com/o/r/pull/42","prRepository":"o/r"}

            """);

        await h.IngestAsync(file);

        var pr = (await h.EventsAsync("pr-1", "pr")).Should().ContainSingle().Subject;
        (pr.Url, pr.PrNumber, pr.Ts).Should().Be(("https://github.com/o/r/pull/42", 42, DateTimeOffset.Parse("2026-03-01T10:05:00Z")));
    }
}
