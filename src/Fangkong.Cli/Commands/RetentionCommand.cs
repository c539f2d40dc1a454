using System.CommandLine;
using Fangkong.Application;
using Fangkong.Application.Access;
using Fangkong.Application.Privacy;
using Fangkong.Jurisdictions;
using Fangkong.Staff;
using Fangkong.Storage.Accounts;

namespace Fangkong.Cli.Commands;

/// <summary>Retention of personal data (SPEC 7): the profile's rules run by the operator, and a commander's closing of an outbreak.</summary>
internal static class RetentionCommand
{
    public static Command Build()
    {
        var command = new Command("retention", "Retention of personal data: drop old check-ins, detach released people's records from their identity, purge a closed outbreak (aggregates kept).");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(CloseOutbreak());
        return command;
    }

    private static Command Run()
    {
        var policy = new Option<string?>("--policy") { Description = "Policy profile whose retention applies (default: the store's, see 'fangkong policy use')." };
        var command = new Command("run",
            "Apply the profile's retention now (the server also does it once a day): check-ins older than its whole days are dropped; people released longer ago than its days, " +
            "whose exposures lie before the first check-in kept, have their contacts, orders, health checks and tasks detached from their identity. Audited with the counts.") { policy };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var profile = await app.PolicyAsync(parse, policy, ct);
            var report = await app.Get<RunRetention>().HandleAsync(app.Actor, profile, ct);
            var d = report.Detached;
            System.Console.WriteLine($"retention of {profile.Id}: {profile.Keep.CheckinDays} days of check-ins, records of people released over {profile.Keep.PseudonymizeAfterReleaseDays} days ago detached");
            System.Console.WriteLine($"  check-ins    {report.CheckinsDropped:N0} dropped (days before {report.FirstKeptDay:yyyy-MM-dd})");
            System.Console.WriteLine($"  detached     {d.People:N0} people released before {report.ReleasedBefore:yyyy-MM-dd}: {d.Orders:N0} orders, {d.HealthChecks:N0} health checks, {d.Tasks:N0} tasks, {d.Contacts:N0} contacts, {d.Exposures:N0} exposures");
            return 0;
        });
        return command;
    }

    private static Command CloseOutbreak()
    {
        var jurisdiction = new Argument<string>("jurisdiction") { Description = "The division whose outbreak is over (a county, city or the region), e.g. 640104." };
        var commander = new Option<string>("--commander") { Description = "The commander's account that decided it (the decision is theirs, recorded in the audit log).", Required = true };
        var decision = new Option<string>("--decision") { Description = "The decision and its basis, e.g. '指挥部通知 2021-12-05：兴庆区疫情结束'.", Required = true };
        var command = new Command("close-outbreak",
            "A commander's decision that the outbreak in a division is over: every case, contact and controlled person living there has their records detached from their identity at once " +
            "(counts by area, tier, date and measure kept). Refused while any order there is active.") { jurisdiction, commander, decision };
        command.SetAction(async (parse, ct) =>
        {
            var code = JurisdictionCode.TryParse(parse.GetValue(jurisdiction), out var c, out var error) ? c : throw new UsageException($"jurisdiction {error}.");
            await using var app = await CliApp.OpenAsync(parse, ct);
            var account = await AccountRepository.FindAsync(app.Db, parse.GetValue(commander)!, ct);
            if (account is not { Active: true } || account.Role != StaffRole.Commander)
            {
                throw new UsageException($"--commander '{parse.GetValue(commander)}' is not an active commander's account.");
            }
            var actor = new Actor(account.Username, account.Jurisdiction, RolePermissions.Of(account.Role).ToHashSet(), Channel.Cli, "cli");
            var d = await app.Get<Application.Privacy.CloseOutbreak>().HandleAsync(actor, new CloseOutbreakCommand(code, parse.GetValue(decision)!), ct);
            System.Console.WriteLine($"outbreak in {code.Value} closed by {account.Username}: {d.People:N0} people detached ({d.Cases:N0} cases, {d.Orders:N0} orders, {d.Contacts:N0} contacts, {d.HealthChecks:N0} health checks, {d.Tasks:N0} tasks)");
            return 0;
        });
        return command;
    }
}
