use super::*;

fn render(cols: usize, rows: usize, chunks: &[&str]) -> Vec<String> {
    let mut t = Transcript::new(cols, rows);
    let mut lines = Vec::new();
    for chunk in chunks {
        t.output(chunk);
        lines.extend(t.take_lines());
    }
    lines.extend(t.finish());
    lines
}

#[test]
fn colours_vanish_and_progress_bars_keep_their_last_state() {
    let lines = render(
        40,
        5,
        &[
            "$ make\r\n\x1b[32mok\x1b[0m compiling\r\n",
            "[#   ] 25%\r[##  ] 50%\r",
            "[####] 100%\r\ndone\r\n",
        ],
    );
    assert_eq!(lines, ["$ make", "ok compiling", "[####] 100%", "done"]);
}

#[test]
fn scrolled_lines_stay_in_order() {
    let text: String = (0..50).map(|i| format!("line {i}\r\n")).collect();
    let lines = render(20, 4, &[&text]);
    let expected: Vec<String> = (0..50).map(|i| format!("line {i}")).collect();
    assert_eq!(lines, expected);
}

#[test]
fn full_screen_views_appear_where_the_program_ran() {
    let lines = render(
        30,
        6,
        &[
            "$ vim notes.txt\r\n",
            "\x1b[?1049h\x1b[H\x1b[2Jfirst draft\r\n~\r\n~",
            "\x1b[H\x1b[2Jfinal text\r\n~\r\n\"notes.txt\" 1L written",
            "\x1b[?1049l",
            "$ ls\r\nnotes.txt\r\n$ ",
        ],
    );
    assert_eq!(
        lines,
        [
            "$ vim notes.txt",
            VIEW_START,
            "final text",
            "~",
            "\"notes.txt\" 1L written",
            VIEW_END,
            "$ ls",
            "notes.txt",
            "$"
        ]
    );
}

#[test]
fn views_keep_their_place_after_scrolling() {
    let mut chunks = vec![
        "$ top\r\n".to_string(),
        "\x1b[?1049hPID USER\r\n1 root\x1b[?1049l".to_string(),
    ];
    for i in 0..10 {
        chunks.push(format!("after {i}\r\n"));
    }
    let refs: Vec<&str> = chunks.iter().map(String::as_str).collect();
    let lines = render(20, 3, &refs);
    assert_eq!(lines[0], "$ top");
    assert_eq!(lines[1], VIEW_START);
    assert_eq!(lines[4], VIEW_END);
    assert_eq!(lines[5], "after 0");
    assert_eq!(lines.last().unwrap(), "after 9");
}
