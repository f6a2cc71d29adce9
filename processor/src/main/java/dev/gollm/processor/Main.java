package dev.gollm.processor;

/** Entry point of the processor. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("processor");
  }
}
