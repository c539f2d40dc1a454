using System.CommandLine;
using Fangkong.Application.People;
using Fangkong.People;
using Fangkong.Storage.People;
using Fangkong.Application.Text;
using Fangkong.Cli.Console;
using Fangkong.Storage;
using Spectre.Console;

namespace Fangkong.Cli.Commands;

internal static class PersonCommand
{
    public static Command Build()
    {
        var command = new Command("person", "Look up and maintain people (人员).");
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Merge());
        command.Subcommands.Add(Duplicates());
        return command;
    }

    private static Command Show()
    {
        var key = new Argument<string>("person_id") { Description = "Any key of the person (the source's person_id)." };
        var command = new Command("show", "Show a person's record, keys, merged records and change history.") { key };
        command.SetAction(async (parse, ct) =>
        {
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var person = await PersonRepository.FindAsync(db, parse.GetValue(key)!, ct)
                ?? throw new UsageException($"no person with person_id '{parse.GetValue(key)}'.");
            var merged = await PersonRepository.FindMergedIntoAsync(db, person.Id, ct);
            var p = person.Person;
            var table = new Table().AddColumns("field", "value").HideHeaders();
            table.AddRow("person_id", Markup.Escape(p.PersonKey));
            table.AddRow("name 姓名", Markup.Escape(p.Name ?? ""));
            table.AddRow("id_type", p.IdType?.ToCode() ?? "");
            table.AddRow("id_number 证件号码", Markup.Escape(p.IdNumber ?? ""));
            table.AddRow("sex 性别", p.Sex?.ToCode() ?? "");
            table.AddRow("birth_date", p.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "");
            table.AddRow("phone 电话", Markup.Escape(p.Phone ?? ""));
            table.AddRow("community_code", Markup.Escape(p.CommunityCode ?? ""));
            table.AddRow("address 住址", Markup.Escape(p.Address ?? ""));
            if (merged.Count > 0)
            {
                table.AddRow("merged records", Markup.Escape(string.Join(", ", merged.Select(m => m.Person.PersonKey))));
            }
            Fangkong.Cli.Console.Screen.Write(table);
            var history = await PersonRepository.HistoryAsync(db, [person.Id, .. merged.Select(m => m.Id)], ct);
            System.Console.WriteLine("history:");
            foreach (var h in history)
            {
                var action = Texts.Default.Get(CliText.Language, "people.history." + h.Action);
                System.Console.WriteLine($"  {db.Calendar.Format(h.At)}  {action}  {Texts.Default.PersonHistory(CliText.Language, h.Detail)}");
            }
            return 0;
        });
        return command;
    }

    private static Command Merge()
    {
        var keep = new Argument<string>("keep") { Description = "person_id of the record that stays." };
        var other = new Argument<string>("other") { Description = "person_id of the duplicate record to join into it." };
        var command = new Command("merge", "Join two records of the same person; both histories are kept and the other's keys name the kept person.") { keep, other };
        command.SetAction(async (parse, ct) =>
        {
            await using var app = await CliApp.OpenAsync(parse, ct);
            var a = await PersonRepository.FindAsync(app.Db, parse.GetValue(keep)!, ct) ?? throw new UsageException($"no person with person_id '{parse.GetValue(keep)}'.");
            var b = await PersonRepository.FindAsync(app.Db, parse.GetValue(other)!, ct) ?? throw new UsageException($"no person with person_id '{parse.GetValue(other)}'.");
            // The rules of a merge (the same person, not two documents) are the handler's.
            await app.Get<MergePeople>().HandleAsync(app.Actor, parse.GetValue(keep)!, parse.GetValue(other)!, ct);
            System.Console.WriteLine($"merged person_id {b.Person.PersonKey} into {a.Person.PersonKey}");
            return 0;
        });
        return command;
    }

    private static Command Duplicates()
    {
        var within = new Option<string?>("--within") { Description = "Only records living under this jurisdiction code (a county, township or community)." };
        var page = new Option<int>("--page") { Description = "Page of groups to print (50 a page).", DefaultValueFactory = _ => 1 };
        var command = new Command("duplicates", "List possible duplicates for review: records with the same name and mobile number (never merged by themselves; join two with 'person merge').")
        {
            within, page,
        };
        command.SetAction(async (parse, ct) =>
        {
            var area = ControlCommand.Within(parse, within);
            var prefix = area is { Level: not Fangkong.Jurisdictions.JurisdictionLevel.Province } a ? Fangkong.Jurisdictions.Scope.Prefix(a) : "";
            await using var db = await CommandLine.OpenStoreAsync(parse, ct);
            var found = await PersonDuplicates.ListAsync(db, prefix, new PageRequest(parse.GetValue(page), 50), ct);
            if (found.Total == 0)
            {
                System.Console.WriteLine("no possible duplicates: no two living records share a name and a mobile number.");
                return 0;
            }
            var table = new Table().AddColumns("name 姓名", "phone 电话", "person_id", "id_number 证件号码", "birth_date", "community_code", "address 住址");
            foreach (var g in found.Rows)
            {
                foreach (var m in g.Members)
                {
                    var p = m.Person;
                    table.AddRow(Markup.Escape(g.Name), Markup.Escape(g.Phone), Markup.Escape(p.PersonKey), Markup.Escape(p.IdNumber ?? ""),
                        p.BirthDate?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "", Markup.Escape(p.CommunityCode ?? ""), Markup.Escape(p.Address ?? ""));
                }
            }
            Screen.Write(table);
            System.Console.WriteLine($"{found.Total} group(s) of possible duplicates; page {parse.GetValue(page)} of {found.Pages}. Review each; 'person merge KEEP OTHER' joins two records of one person.");
            return 0;
        });
        return command;
    }
}
