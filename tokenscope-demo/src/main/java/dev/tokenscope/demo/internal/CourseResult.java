package dev.tokenscope.demo.internal;

/** One finished course of a designed menu. */
record CourseResult(
    MenuPlan.Course course,
    String recipe,
    WinePairing winePairing,
    boolean nutritionApproved,
    String nutritionNotes,
    int iterations,
    int wineAttempts) {}
