package dev.gollm.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResultsOrderTest {
  @Test
  void scenariosAreOrderedByTheirNumberSoTenComesAfterNine() {
    Results results = new Results();
    for (String scenario : new String[] {"10 first task", "9 two backends", "1 dispatch (SSE)"}) {
      results.add(Figure.info("id-" + scenario, scenario, "label", 1, "s"));
    }

    assertThat(results.figures())
        .extracting(Figure::scenario)
        .containsExactly("1 dispatch (SSE)", "9 two backends", "10 first task");
  }

  @Test
  void figuresOfOneScenarioKeepTheOrderTheyWereAddedIn() {
    Results results = new Results();
    results.add(Figure.info("b", "10 first task", "label", 1, "s"));
    results.add(Figure.info("a", "10 first task", "label", 1, "s"));

    assertThat(results.figures()).extracting(Figure::id).containsExactly("b", "a");
  }
}
