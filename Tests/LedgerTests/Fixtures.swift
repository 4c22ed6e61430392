import Foundation
@testable import Ledger

/// Valid credit codes for test rows: 17 characters of body, check character computed by GB 32100.
func code(_ n: Int) -> String {
    let digits = String(n)
    let body = "91310115MA" + String(repeating: "0", count: 7 - digits.count) + digits
    return body + String(CreditCode.checkCharacter(for: body)!)
}

let minimalHeader = "id,name,district,town,category,scale"

func ledger(_ text: String, file: String = "ledger.csv") throws -> Ledger {
    try LedgerLoader.load(data: Data(text.utf8), file: file)
}

/// The problems a bad ledger produces; fails the test if it loads.
func problems(_ text: String, file: String = "ledger.csv") -> [InputProblem] {
    problems(data: Data(text.utf8), file: file)
}

func problems(data: Data, file: String = "ledger.csv") -> [InputProblem] {
    do {
        _ = try LedgerLoader.load(data: data, file: file)
        return []
    } catch let e as InputError {
        return e.problems
    } catch {
        return [InputProblem(file: "?", message: "unexpected error \(error)")]
    }
}
