package dev.tokenscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * What {@code --help} shows. Picocli prints each element of a description on a line of its own and
 * lists a subcommand by the first one alone, so a description hard-wrapped into several elements
 * showed as "Runs the Restaurant Menu Designer (four agents on OpenAI and Anthropic, five phases)
 * with" in {@code tokenscope --help}: every command's first element is a whole sentence.
 */
class UsageHelpTest {

  @Test
  void everyCommandIsListedWithAWholeSentence() {
    for (CommandLine command : allCommands(TokenScopeCommand.commandLine())) {
      String[] description = command.getCommandSpec().usageMessage().description();
      String name = command.getCommandSpec().qualifiedName();
      assertThat(description).as(name).isNotEmpty();
      for (String line : description) {
        assertThat(line).as(name).endsWith(".");
      }
    }
  }

  @Test
  void everySubcommandsHelpExitsWithZeroAndNamesItsUsage() {
    for (CommandLine command : allCommands(TokenScopeCommand.commandLine())) {
      String name = command.getCommandSpec().qualifiedName(" ");
      List<String> args = new ArrayList<>(List.of(name.split(" ")));
      args.remove(0);
      args.add("--help");
      CommandLine cli = TokenScopeCommand.commandLine();
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));

      assertThat(cli.execute(args.toArray(String[]::new))).as(name).isZero();
      assertThat(out.toString()).as(name).startsWith("Usage: " + name + " ");
      assertThat(err.toString()).as(name).isEmpty();
    }
  }

  private static List<CommandLine> allCommands(CommandLine root) {
    List<CommandLine> out = new ArrayList<>();
    for (CommandLine sub : root.getSubcommands().values()) {
      if (sub.getCommandSpec().userObject() instanceof CommandLine.HelpCommand) {
        continue;
      }
      out.add(sub);
      out.addAll(allCommands(sub));
    }
    return out;
  }
}
