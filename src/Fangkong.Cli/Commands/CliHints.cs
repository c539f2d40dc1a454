namespace Fangkong.Cli.Commands;

/// <summary>
/// What the command line adds to a refusal: the option or command that answers it. Refusals themselves
/// carry a code and never name a flag, because the same refusal reaches the browser and the API.
/// </summary>
internal static class CliHints
{
    private static readonly Dictionary<string, string> Hints = new(StringComparer.Ordinal)
    {
        ["loop.releaseIsDecision"] = "use 'fangkong control release'",
        ["loop.caseByResult"] = "use 'fangkong control result' or 'fangkong case add'",
        ["transfer.vehicleCrew"] = "the command needs --vehicle and --crew",
        ["transfer.noRoom"] = "'fangkong site assign' places the person",
        ["arrive.noRoom"] = "'fangkong site assign' places the person",
        ["transfer.noPickup"] = "give --pickup",
        ["lost.reason"] = "give --reason",
        ["measure.reason"] = "give --reason",
        ["measure.inRoom"] = "'fangkong site checkout' checks them out",
        ["place.inRoom"] = "'fangkong site checkout' checks them out",
        ["sample.number"] = "give --sample",
        ["room.reserve"] = "add --use-reserve --reason \"...\"",
        ["sites.full"] = "--split --reason \"...\" splits the household over rooms; --use-reserve opens reserve rooms; 'fangkong site rooms SITE --add-household' or 'fangkong site add' adds rooms",
        ["sites.fullSplit"] = "--use-reserve opens reserve rooms; 'fangkong site rooms SITE --add-household' or 'fangkong site add' adds rooms",
        ["place.reasonRequired"] = "give --reason",
        ["step.future"] = "give --at a time that has passed",
        ["step.beforeLast"] = "'fangkong control show' lists the order's steps with their times",
        ["access.permission"] = "the command line acts as the operator",
        ["account.personNeeded"] = "--person is required for --role person: give the person_id of their own record",
        ["account.personOnly"] = "--person is only for --role person",
        ["account.staffUnknown"] = "'fangkong staff list' shows the staff keys",
        ["account.unknown"] = "'fangkong admin list-users' lists the accounts",
        ["token.unknown"] = "'fangkong admin list-tokens' lists the tokens",
        ["token.days"] = "give --days between 1 and 365",
    };

    public static string? For(string? code) => code is not null && Hints.TryGetValue(code, out var hint) ? hint : null;
}
